// A lock held across the next call stays callbacks; one in the last
// continuation does not stop the rewrite.
#include "db.h"
#include <mutex>

std::mutex Mu;
int Seen = 0;

void heldAcross(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    std::lock_guard<std::mutex> lock(Mu);
    ++Seen;
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}

void lockedLast(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) {
      std::unique_lock<std::mutex> lock(Mu);
      done(g.id);
    });
  });
}
