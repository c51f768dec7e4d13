// Code that must not change. `fix` leaves the file byte-identical, `check`
// finds nothing, and --explain says why each chain was left alone. (Macros,
// templates and non-tail calls: negative-macro.cpp, negative-templates.cpp,
// negative-tail.cpp.)
//
// RUN: %awaitify check --explain --no-default-rules --rules %S/Inputs/apis.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not=warning:
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0
// RUN: cmp %s %t.cpp

#include "db.h"

// The callback is a variable: awaitify only flattens lambdas written at the
// call.
void stored(Db &db, int id, std::function<void(int)> done) {
  auto next = [done](Group g) { done(g.id); };
  db.getUser(id, [&db, next](User user) {
    db.getGroup(user.id, next);
  });
}
// CHECK: negative.cpp:[[@LINE-4]]:3: remark: left alone in 'stored': a single callback, not a chain (depth 1 < 2) [awaitify-callback-chain]
// CHECK: negative.cpp:[[@LINE-4]]:26: remark: left alone in 'stored': the callback of 'Db::getGroup' is not a lambda written at the call{{.*}}(it is stored or forwarded){{.*}} [awaitify-callback-chain]

// The callback is the function's own parameter, passed on.
void forwarded(Db &db, int id, std::function<void(Group)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, done);
  });
}
// CHECK: negative.cpp:[[@LINE-3]]:26: remark: left alone in 'forwarded': the callback of 'Db::getGroup' is not a lambda written at the call{{.*}}(it is stored or forwarded)

// forEachRow and subscribe call their callback many times: they are in no
// rule, so they are not completion APIs and there is nothing to explain.
void notInRules(Db &db, std::function<void(int)> done) {
  db.forEachRow([&db, done](int row) {
    db.forEachRow([done, row](int other) { done(row + other); });
  });
}
void multiShot(std::function<void(std::string)> done) {
  net::subscribe("a", [done](std::string m) {
    net::subscribe(m, [done](std::string n) { done(n); });
  });
}

// Overriders would need the same change.
struct Base {
  virtual ~Base() = default;
  virtual void run(Db &db, int id, std::function<void(int)> done) {
    db.getUser(id, [&db, done](User user) {
      db.getGroup(user.id, [done](Group g) { done(g.id); });
    });
  }
};
// CHECK: negative.cpp:[[@LINE-5]]:5: remark: left alone in 'Base::run': the function is virtual: its overriders would need the same change

// A function pointer to it would have the wrong type (it has internal
// linkage, so it would become the coroutine itself).
static void addressTaken(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
void (*keep)(Db &, int, std::function<void(int)>) = &addressTaken;
// CHECK: negative.cpp:[[@LINE-5]]:3: remark: left alone in 'addressTaken': the function's address is taken: a coroutine has a different type

// The continuation returns a value (std::function<void(User)> discards it).
void returnsValue(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
    return true;
  });
}
// CHECK: negative.cpp:[[@LINE-5]]:3: remark: left alone in 'returnsValue': the callback of 'Db::getUser' returns a value

// A lambda that captures: its captures live in the closure object, which
// may be gone while the coroutine is suspended.
void capturingEnclosing(Db &db, std::function<void(int)> done) {
  auto run = [&db, done](int id) {
    db.getUser(id, [&db, done](User user) {
      db.getGroup(user.id, [done](Group g) { done(g.id); });
    });
  };
  run(1);
}
// CHECK: negative.cpp:[[@LINE-6]]:5: remark: left alone in 'capturingEnclosing': the lambda captures: captures live in the closure object, which may be destroyed while the coroutine is suspended

// A non-const reference parameter that a callback copies: as a coroutine
// parameter it would still refer to the caller's object after the first
// suspension, and it cannot simply be taken by value.
void mutableRef(Db &db, std::string &name, std::function<void(std::string)> done) {
  db.getUser(1, [&db, name, done](User user) {
    db.getGroup(user.id, [name, done](Group) { done(name); });
  });
}
// CHECK: negative.cpp:[[@LINE-4]]:3: remark: left alone in 'mutableRef': reference parameter 'name' is copied by a callback; as a coroutine parameter it would still refer to the caller's object after the first suspension

// A single callback is not a pyramid (--min-depth=2 by default).
void single(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [done](User user) { done(user.id); });
}
// CHECK: negative.cpp:[[@LINE-2]]:3: remark: left alone in 'single': a single callback, not a chain (depth 1 < 2)

int main() {
  Db db;
  db.getUser(1, [&db](User user) {
    db.getGroup(user.id, [](Group) {});
  });
}
// CHECK: negative.cpp:[[@LINE-4]]:3: remark: left alone in 'main': 'main' cannot be a coroutine
