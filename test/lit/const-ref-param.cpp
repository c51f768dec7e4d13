// A `const T&` parameter that a callback copied: the copy was taken at the
// call, but a coroutine parameter that stays a reference would still refer
// to the caller's object after the first suspension. The function keeps its
// signature (it also takes its Db by reference), and so does its
// declaration; the coroutine it starts takes the parameter by value, and
// the chain is 'reasonable'.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

// Internal linkage, but greet takes its Db by reference, which a coroutine
// must not (CP.53): it starts a coroutine of its own that takes a Db *.
namespace {

void greet(Db &db, const std::string &name, std::function<void(std::string)> done);
// CHECK-FIXES:      void greet(Db &db, const std::string &name, std::function<void(std::string)> done);

void greet(Db &db, const std::string &name, std::function<void(std::string)> done) {
  db.getUser(1, [&db, name, done](User user) {
    db.getGroup(user.id, [name, done](Group) { done(name); });
  });
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'greet' can be rewritten with co_await (confidence: reasonable)
// CHECK-MESSAGES: :[[@LINE-5]]:3: note: assumes: parameter 'name' is now taken by value: its callback copied it, and a coroutine must not keep the reference

// CHECK-FIXES:      awaitify::detached greet_coro(Db *db, std::string name,
// CHECK-FIXES-NEXT:                               std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(1, resume); });
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(name);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void greet(Db &db, const std::string &name, std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   greet_coro(&db, name, std::move(done));
// CHECK-FIXES-NEXT: }

// A caller passing a temporary still compiles.
void caller(Db &db) {
  greet(db, "world", [](std::string) {});
}
// CHECK-FIXES:      void caller(Db &db) {
// CHECK-FIXES-NEXT:   greet(db, "world", [](std::string) {});
// CHECK-FIXES-NEXT: }

} // namespace
