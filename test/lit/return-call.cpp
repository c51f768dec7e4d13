// `return api(..., cb);` ends the frame like `api(..., cb); return;`: the
// call becomes a co_await and the chain ends there. At the end of the
// function no `co_return;` is needed; there is never more than one.
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

void returned(Db &db, int id, std::function<void(int)> done) {
  return db.getUser(id, [&db, done](User user) {
    return db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
// CHECK-MESSAGES: :[[@LINE-4]]:10: warning: callback chain of 2 calls (depth 2) in 'returned'
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:10: note: step 1: 'Db::getUser'
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:12: note: step 2: 'Db::getGroup'

// CHECK-FIXES:      awaitify::detached returned_coro(Db *db, int id,
// CHECK-FIXES-NEXT:                                  std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(g.id);
// CHECK-FIXES-NEXT:   co_return;
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void returned(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   returned_coro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
