// `if (cond) return api(..., cb);` with an unbraced arm is the same early
// exit as the braced `if (cond) { return api(..., cb); }`: the call is in
// tail position (a return ends the frame), so the chain is rewritten, the
// arm gets braces, and `co_return;` keeps the code after the if from
// running.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

// Internal linkage, but a function that takes its Db by reference, which a
// coroutine must not (CP.53), keeps its signature and starts a coroutine of
// its own, defined just above it, that takes a Db *.
namespace {

void returnedEarly(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    if (user.id == 0)
      return db.getGroup(user.id, [done](Group g) { done(g.id); });
    done(-1);
  });
}
// CHECK-MESSAGES: :[[@LINE-6]]:3: warning: callback chain of 2 calls (depth 2) in 'returnedEarly'

// CHECK-FIXES:      awaitify::detached returnedEarlyCoro(Db *db, int id,
// CHECK-FIXES-NEXT:                                      std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   if (user.id == 0) {
// CHECK-FIXES-NEXT:     Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:         [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:     done(g.id);
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   done(-1);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void returnedEarly(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   returnedEarlyCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
