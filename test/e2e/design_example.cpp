// The "core rewrite" example of DESIGN.md as a program. `process` is the
// "before" text verbatim; after `awaitify fix` (rules: support/design_example.yaml)
// it must read like the "after" text and print the same trace.
#include <functional>
#include <string>

#include "sim.hpp"

struct User {
  int id;
  std::string name;
};

struct Group {
  int id;
  std::string name;
};

struct Request {
  int user;
  int group;
};

struct Result {
  User user;
  Group group;
};

// A database whose lookups complete later, through the event loop.
class Db {
public:
  void getUser(int id, std::function<void(User)> cb) {
    sim::trace("db: getUser", id);
    sim::loop().post_after(1 + id % 3, [cb, id] { cb(User{id, "user" + std::to_string(id)}); });
  }
  void getGroup(int id, std::function<void(Group)> cb) {
    sim::trace("db: getGroup", id);
    sim::loop().post_after(1 + id % 2, [cb, id] { cb(Group{id, "group" + std::to_string(id)}); });
  }
};

void process(Db& db, Request req, std::function<void(Result)> done) {
  db.getUser(req.user, [&db, req, done](User user) {
    db.getGroup(req.group, [user, done](Group group) {
      done(Result{user, group});
    });
  });
}

int main() {
  Db db;
  // Two requests in flight at once: their steps interleave on the loop.
  process(db, Request{4, 7}, [](Result r) {
    sim::trace("result", r.user.name, "in", r.group.name);
  });
  process(db, Request{2, 2}, [](Result r) {
    sim::trace("result", r.user.name, "in", r.group.name);
  });
  sim::loop().run();
  sim::trace("== end");
  return 0;
}
