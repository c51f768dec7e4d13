// A pyramid three and four callbacks deep flattens into as many co_awaits,
// each value in scope for everything after it. --min-depth=4 reports only
// the deeper one.
//
// RUN: %expect_exit 1 %awaitify check --min-depth=4 --explain --no-default-rules --rules %S/Inputs/apis.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --check-prefix=MIN-DEPTH-4 --implicit-check-not=warning:
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

void three(Db &db, int id, std::function<void(bool)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [&db, user, done](Group group) {
      db.getPerms(user, [done, group](Perms perms) {
        done(perms.admin && group.id != 0);
      });
    });
  });
}
// CHECK-MESSAGES: :[[@LINE-8]]:3: warning: callback chain of 3 calls (depth 3) in 'three' can be rewritten with co_await (confidence: safe)
// CHECK-MESSAGES-NEXT: :[[@LINE-9]]:3: note: step 1: 'Db::getUser' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-9]]:5: note: step 2: 'Db::getGroup' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-9]]:7: note: step 3: 'Db::getPerms' completes into this callback

// CHECK-FIXES:      awaitify::detached three_coro(Db *db, int id, std::function<void(bool)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   Group group = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   Perms perms = co_await awaitify::from_callback<Perms>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getPerms(user, resume); });
// CHECK-FIXES-NEXT:   done(perms.admin && group.id != 0);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void three(Db &db, int id, std::function<void(bool)> done) {
// CHECK-FIXES-NEXT:   three_coro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

void four(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [&db, user, done](Group group) {
      db.getPerms(user, [&db, group, done](Perms perms) {
        db.flush([done, group, perms] { done(group.id + perms.admin); });
      });
    });
  });
}
// CHECK-MESSAGES: :[[@LINE-8]]:3: warning: callback chain of 4 calls (depth 4) in 'four'
// MIN-DEPTH-4: :[[@LINE-9]]:3: warning: callback chain of 4 calls (depth 4) in 'four'
// MIN-DEPTH-4: :[[@LINE-38]]:3: remark: left alone in 'three': {{.*}}(depth 3 < 4)

// CHECK-FIXES:      awaitify::detached four_coro(Db *db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   Group group = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   Perms perms = co_await awaitify::from_callback<Perms>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getPerms(user, resume); });
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback([&](auto resume) { db->flush(resume); });
// CHECK-FIXES-NEXT:   done(group.id + perms.admin);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void four(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   four_coro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
