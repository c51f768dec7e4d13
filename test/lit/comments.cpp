// Comments inside the moved code survive: a comment before a nested call,
// block comments, trailing comments on the lambda's line and in its body,
// and comments after the last statement of a callback.
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
// coroutine must not (CP.53): it keeps its signature (and its comment) and
// starts a coroutine of its own, defined above the comment, that takes a
// Db *. The comments of the chain move into that coroutine.
namespace {

/// Looks the user up, then the group.
void comments(Db &db, int id, std::function<void(int)> done) {
  // Before the chain.
  db.getUser(id, [&db, done](User user) { // the user is known here
    // Now the group.
    /* a block comment */
    db.getGroup(user.id, [done](Group g) {
      done(g.id); // trailing comment
      // last words
    });
    // after the inner call
  });
}
// CHECK-MESSAGES: :[[@LINE-10]]:3: warning: callback chain of 2 calls (depth 2) in 'comments'

// CHECK-FIXES:      awaitify::detached comments_coro(Db *db, int id,
// CHECK-FIXES-NEXT:                                  std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   // Before the chain.
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); }); // the user is known here
// CHECK-FIXES-NEXT:   // Now the group.
// CHECK-FIXES-NEXT:   /* a block comment */
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(g.id); // trailing comment
// CHECK-FIXES-NEXT:               // last words
// CHECK-FIXES-NEXT:               // after the inner call
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: /// Looks the user up, then the group.
// CHECK-FIXES-NEXT: void comments(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   comments_coro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

// Comments inside the call's arguments stay in the awaiting lambda.
void inArguments(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id /* the key */, [&db, done](User user) {
    db.getGroup(/*id=*/user.id, [done](Group g) { done(g.id); });
  });
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'inArguments'
// CHECK-FIXES:      awaitify::detached inArgumentsCoro(Db *db, int id,
// CHECK-FIXES-NEXT:                                    std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id /* the key */, resume); });
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(/*id=*/user.id, resume); });
// CHECK-FIXES-NEXT:   done(g.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // Comments inside the call's arguments stay in the awaiting lambda.
// CHECK-FIXES-NEXT: void inArguments(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   inArgumentsCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
