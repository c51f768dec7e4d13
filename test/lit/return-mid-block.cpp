// `call(cb); return;` in the middle of a block is a tail call too: the call
// becomes a co_await, its callback's body follows, and the `return;` that
// ended the frame becomes `co_return;` so the rest of the block still only
// runs on the other path.
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

void midBlock(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    if (user.id < 0) {
      db.flush([done] { done(0); });
      return;
    }
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
// CHECK-MESSAGES: :[[@LINE-8]]:3: warning: callback chain of 3 calls (depth 2) in 'midBlock'
// CHECK-MESSAGES-NEXT: :[[@LINE-9]]:3: note: step 1: 'Db::getUser'
// CHECK-MESSAGES-NEXT: :[[@LINE-8]]:7: note: step 2: 'Db::flush'
// CHECK-MESSAGES-NEXT: :[[@LINE-6]]:5: note: step 3: 'Db::getGroup'

// CHECK-FIXES:      awaitify::detached midBlockCoro(Db *db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   if (user.id < 0) {
// CHECK-FIXES-NEXT:     co_await awaitify::from_callback([&](auto resume) { db->flush(resume); });
// CHECK-FIXES-NEXT:     done(0);
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(g.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void midBlock(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   midBlockCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

// In the function itself: the early path is a chain of its own.
void early(Db &db, int id, std::function<void(int)> done) {
  if (id < 0) {
    db.flush([&db, done] {
      db.flush([done] { done(0); });
    });
    return;
  }
  done(id);
}
// CHECK-MESSAGES: :[[@LINE-7]]:5: warning: callback chain of 2 calls (depth 2) in 'early'

// CHECK-FIXES:      awaitify::detached early_coro(Db *db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   if (id < 0) {
// CHECK-FIXES-NEXT:     co_await awaitify::from_callback([&](auto resume) { db->flush(resume); });
// CHECK-FIXES-NEXT:     co_await awaitify::from_callback([&](auto resume) { db->flush(resume); });
// CHECK-FIXES-NEXT:     done(0);
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   done(id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // In the function itself: the early path is a chain of its own.
// CHECK-FIXES-NEXT: void early(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   early_coro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

// `return api(..., cb);` inside a braced arm: the same, with the `co_return;`
// that keeps `done(-1)` from running after it.
void returnedEarly(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    if (user.id == 0) {
      return db.getGroup(user.id, [done](Group g) { done(g.id); });
    }
    done(-1);
  });
}
// CHECK-MESSAGES: :[[@LINE-7]]:3: warning: callback chain of 2 calls (depth 2) in 'returnedEarly'

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
// CHECK-FIXES-NEXT: // `return api(..., cb);` inside a braced arm: the same, with the `co_return;`
// CHECK-FIXES-NEXT: // that keeps `done(-1)` from running after it.
// CHECK-FIXES-NEXT: void returnedEarly(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   returnedEarlyCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
