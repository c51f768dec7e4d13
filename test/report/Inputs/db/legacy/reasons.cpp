// Places left alone, each for its own reason.
#include "db.h"

// A deduced return type cannot become awaitify::detached by itself.
auto deduced(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}

struct Conn {
  Conn(Db &db, std::function<void(int)> done) {
    db.getUser(1, [&db, done](User user) {
      db.getGroup(user.id, [done](Group g) { done(g.id); });
    });
  }
};

// A label cannot be flattened into the enclosing function.
void labelled(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
  again:
    if (user.id < 0) {
      user.id = 0;
      goto again;
    }
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}

// A single callback is not a chain.
void single(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [done](User user) { done(user.id); });
}

// rules.yaml says the callback is argument 2; these calls have two.
void badIndex(std::function<void()> done) {
  sched::defer([done] {
    sched::defer([done] { done(); }, 1);
  }, 1);
}
