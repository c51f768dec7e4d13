// A captureless lambda defined inside a continuation runs a chain of its
// own. One run rewrites both: the outer chain, and the lambda (which moves
// along with the code around it), so a second run finds nothing more to do.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

// Internal linkage, but a function that takes its Db by reference, which a
// coroutine must not (CP.53), keeps its signature and starts a coroutine of
// its own, defined just above it, that takes a Db *.
namespace {

void outer(Db &db, std::function<void(int)> done) {
  db.getUser(1, [&db, done](User user) {
    db.getGroup(user.id, [&db, done](Group) {
      auto inner = [](Db &db2, std::function<void(int)> d) {
        db2.getUser(1, [&db2, d](User u) {
          db2.getGroup(u.id, [d](Group g2) { d(g2.id); });
        });
      };
      inner(db, done);
    });
  });
}
// CHECK-FIXES:      awaitify::detached outer_coro(Db *db, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(1, resume); });
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   auto inner = [](Db &db2, std::function<void(int)> d) {
// CHECK-FIXES-NEXT:     db2.getUser(1, [&db2, d](User u) {
// CHECK-FIXES-NEXT:       db2.getGroup(u.id, [d](Group g2) { d(g2.id); });
// CHECK-FIXES-NEXT:     });
// CHECK-FIXES-NEXT:   };
// CHECK-FIXES-NEXT:   inner(*db, done);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void outer(Db &db, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   outer_coro(&db, std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
