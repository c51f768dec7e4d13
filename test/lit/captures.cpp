// Captures keep their meaning once the callbacks are flattened: by-value
// captures of values nobody changes are the same variables, by-reference
// captures are the variables themselves, and an init-capture that only
// moves a variable of the same name along (`[x = std::move(x)]`) is dropped:
// the flattened code uses the variable.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"
#include <memory>

// Internal linkage, but each function takes its Db by reference, which a
// coroutine must not (CP.53): it keeps its signature and starts a coroutine
// of its own, defined just above it, that takes a Db * and the owned
// parameters moved in.
namespace {

void byValue(Db &db, Request req, std::function<void(Result)> done) {
  db.getUser(req.user, [&db, req, done](User user) {
    db.getGroup(req.group, [user, done](Group group) {
      done(Result{user, group});
    });
  });
}
// CHECK-MESSAGES: :[[@LINE-6]]:3: warning: callback chain of 2 calls (depth 2) in 'byValue' can be rewritten with co_await (confidence: safe)

// CHECK-FIXES:      awaitify::detached byValueCoro(Db *db, Request req,
// CHECK-FIXES-NEXT:                                std::function<void(Result)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(req.user, resume); });
// CHECK-FIXES-NEXT:   Group group = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(req.group, resume); });
// CHECK-FIXES-NEXT:   done(Result{user, group});
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void byValue(Db &db, Request req, std::function<void(Result)> done) {
// CHECK-FIXES-NEXT:   byValueCoro(&db, req, std::move(done));
// CHECK-FIXES-NEXT: }

void byReference(Db &db, int id, std::function<void(int)> done) {
  int total = 0;
  db.getUser(id, [&](User user) {
    total += user.id;
    db.getGroup(user.id, [&](Group g) { done(total + g.id); });
  });
}
// CHECK-MESSAGES: :[[@LINE-5]]:3: warning: callback chain of 2 calls (depth 2) in 'byReference' can be rewritten with co_await (confidence: safe)

// CHECK-FIXES:      awaitify::detached byReferenceCoro(Db *db, int id,
// CHECK-FIXES-NEXT:                                    std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   int total = 0;
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   total += user.id;
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(total + g.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void byReference(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   byReferenceCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

void movedAlong(Db &db, std::shared_ptr<int> token,
                std::function<void(int)> done) {
  db.getUser(1, [&db, token = std::move(token), done](User user) {
    db.getGroup(user.id, [token = std::move(token), done](Group g) {
      done(*token + g.id);
    });
  });
}
// CHECK-MESSAGES: :[[@LINE-6]]:3: warning: callback chain of 2 calls (depth 2) in 'movedAlong' can be rewritten with co_await (confidence: safe)

// CHECK-FIXES:      awaitify::detached movedAlongCoro(Db *db, std::shared_ptr<int> token,
// CHECK-FIXES-NEXT:                                   std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(1, resume); });
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(*token + g.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void movedAlong(Db &db, std::shared_ptr<int> token,
// CHECK-FIXES-NEXT:                 std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   movedAlongCoro(&db, std::move(token), std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
