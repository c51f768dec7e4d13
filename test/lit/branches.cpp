// An if/else inside a continuation whose arms each continue with their own
// call stays an if/else, each arm flattened on its own. An unbraced arm that
// now holds several statements gets braces, and so does the other arm of
// that if, so that both arms read alike.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

// Internal linkage, but each function takes its Db by reference, which a
// coroutine must not (CP.53): it keeps its signature and starts a coroutine
// of its own, defined just above it, that takes a Db * (not static: it is in
// the anonymous namespace). An else arm that only ends the function becomes
// an early exit.
namespace {

void ifElse(Db &db, int id, bool cached, std::function<void(int)> done) {
  db.getUser(id, [&db, cached, done](User user) {
    if (cached) {
      db.getGroup(user.id, [done](Group g) { done(g.id); });
    } else {
      db.getPerms(user, [done](Perms p) { done(p.admin); });
    }
  });
}
// CHECK-MESSAGES: :[[@LINE-8]]:3: warning: callback chain of 3 calls (depth 2) in 'ifElse'
// CHECK-MESSAGES-NEXT: :[[@LINE-9]]:3: note: step 1: 'Db::getUser'
// CHECK-MESSAGES-NEXT: :[[@LINE-8]]:7: note: step 2: 'Db::getGroup'
// CHECK-MESSAGES-NEXT: :[[@LINE-7]]:7: note: step 3: 'Db::getPerms'

// CHECK-FIXES:      awaitify::detached ifElseCoro(Db *db, int id, bool cached,
// CHECK-FIXES-NEXT:                               std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   if (cached) {
// CHECK-FIXES-NEXT:     Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:         [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:     done(g.id);
// CHECK-FIXES-NEXT:   } else {
// CHECK-FIXES-NEXT:     Perms p = co_await awaitify::from_callback<Perms>(
// CHECK-FIXES-NEXT:         [&](auto resume) { db->getPerms(user, resume); });
// CHECK-FIXES-NEXT:     done(p.admin);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void ifElse(Db &db, int id, bool cached, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   ifElseCoro(&db, id, cached, std::move(done));
// CHECK-FIXES-NEXT: }

void unbraced(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    if (user.id == 0)
      db.getGroup(user.id, [done](Group g) { done(g.id); });
    else
      done(-1);
  });
}
// CHECK-MESSAGES: :[[@LINE-7]]:3: warning: callback chain of 2 calls (depth 2) in 'unbraced'

// CHECK-FIXES:      awaitify::detached unbraced_coro(Db *db, int id,
// CHECK-FIXES-NEXT:                                  std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   if (user.id != 0) {
// CHECK-FIXES-NEXT:     done(-1);
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(g.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void unbraced(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   unbraced_coro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

void elseIf(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    if (user.id < 0)
      done(-1);
    else if (user.id == 0)
      db.flush([done] { done(0); });
    else
      db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
// CHECK-MESSAGES: :[[@LINE-9]]:3: warning: callback chain of 3 calls (depth 2) in 'elseIf'

// CHECK-FIXES:      awaitify::detached elseIfCoro(Db *db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   if (user.id < 0) {
// CHECK-FIXES-NEXT:     done(-1);
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   if (user.id == 0) {
// CHECK-FIXES-NEXT:     co_await awaitify::from_callback([&](auto resume) { db->flush(resume); });
// CHECK-FIXES-NEXT:     done(0);
// CHECK-FIXES-NEXT:   } else {
// CHECK-FIXES-NEXT:     Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:         [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:     done(g.id);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void elseIf(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   elseIfCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
