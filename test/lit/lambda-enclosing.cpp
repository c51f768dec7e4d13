// A captureless lambda whose body runs the chain becomes a coroutine lambda:
// it gets `-> awaitify::detached` (and `()` when it had no parameter list).
// Not one that takes a reference (its coroutine would keep it across
// suspensions, CP.53) or captures (the captures die with the lambda object,
// CP.51): those are left alone, and --explain says why.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --explain --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

auto handler = [](Db &db, std::function<void(int)> done) {
  db.getUser(1, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
};
// CHECK-MESSAGES-DAG: :[[@LINE-4]]:3: remark: left alone in '(lambda)': the enclosing lambda takes a reference, which its coroutine would keep across suspensions (C++ Core Guidelines CP.53)

// CHECK-FIXES:      auto handler = [](Db &db, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   db.getUser(1, [&db, done](User user) {

Db &theDb();
std::function<void(int)> capturing(std::function<void(int)> done) {
  return [done](int id) {
    theDb().getUser(id, [done](User user) {
      theDb().getGroup(user.id, [done](Group g) { done(g.id); });
    });
  };
}
// CHECK-MESSAGES-DAG: :[[@LINE-5]]:5: remark: left alone in 'capturing': the lambda captures: captures live in the closure object

// CHECK-FIXES:      return [done](int id) {
// CHECK-FIXES-NEXT:   theDb().getUser(id, [done](User user) {

void report(int);

auto noParams = [] {
  theDb().getUser(1, [](User user) {
    theDb().getGroup(user.id, [](Group g) { report(g.id); });
  });
};
// CHECK-MESSAGES-DAG: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in '(lambda)' can be rewritten with co_await (confidence: safe)

// CHECK-FIXES:      auto noParams = []() -> awaitify::detached {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { theDb().getUser(1, resume); });
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { theDb().getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   report(g.id);
// CHECK-FIXES-NEXT: };
