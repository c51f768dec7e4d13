#include "db.h"

static void process(Db *db, int id, std::function<void(int)> done) {
  db->getUser(id, [db, done](User user) {
    db->getGroup(user.id, [done](Group g) { done(g.id); });
  });
}

// Returning process(...) from a void function: fine while process returns
// void, an error once it returns awaitify::detached (it has internal
// linkage and takes no reference its chain uses -- a Db *, not a Db & --
// so it becomes the coroutine itself).
void forward(Db &db, int id, std::function<void(int)> done) {
  if (id < 0) {
    done(-1);
    return;
  }
  return process(&db, id, done);
}
