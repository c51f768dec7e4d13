// --min-confidence gates what is reported and rewritten. 'safe' takes only
// chains that assume nothing; the default, 'reasonable', also takes a
// `const T&` parameter turned into a by-value one; 'risky' also takes a
// chain whose callback moves from a const copy (which copies today and
// would move after flattening). Below the minimum, --explain says why.
//
// RUN: %expect_exit 1 %awaitify check --min-confidence=safe --explain --no-default-rules --rules %S/Inputs/apis.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --check-prefix=SAFE --implicit-check-not=warning:
// RUN: %expect_exit 1 %awaitify check --explain --no-default-rules --rules %S/Inputs/apis.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --check-prefix=REASONABLE --implicit-check-not=warning:
// RUN: %expect_exit 1 %awaitify check --min-confidence=risky --no-default-rules --rules %S/Inputs/apis.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --check-prefix=RISKY --implicit-check-not=warning:
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --min-confidence=risky --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --min-confidence=risky --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

// Internal linkage, but a function that takes its Db by reference, which a
// coroutine must not (CP.53), keeps its signature and starts a coroutine of
// its own, defined just above it, that takes a Db *.
namespace {

void sure(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
// SAFE:       :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'sure' can be rewritten with co_await (confidence: safe)
// REASONABLE: :[[@LINE-5]]:3: warning: callback chain of 2 calls (depth 2) in 'sure' can be rewritten with co_await (confidence: safe)
// RISKY:      :[[@LINE-6]]:3: warning: callback chain of 2 calls (depth 2) in 'sure' can be rewritten with co_await (confidence: safe)

void byValue(Db &db, const std::string &name, std::function<void(std::string)> done) {
  db.getUser(1, [&db, name, done](User user) {
    db.getGroup(user.id, [name, done](Group) { done(name); });
  });
}
// REASONABLE: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'byValue' can be rewritten with co_await (confidence: reasonable)
// RISKY:      :[[@LINE-5]]:3: warning: callback chain of 2 calls (depth 2) in 'byValue' can be rewritten with co_await (confidence: reasonable)

void movesFromCopy(Db &db, std::string name, std::function<void(std::string)> done) {
  db.getUser(1, [&db, name, done](User user) {
    db.getGroup(user.id, [name, done](Group) { done(std::move(name)); });
  });
}
// RISKY:      :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'movesFromCopy' can be rewritten with co_await (confidence: risky)
// RISKY-NEXT: :[[@LINE-5]]:3: note: step 1: 'Db::getUser'
// RISKY-NEXT: :[[@LINE-5]]:5: note: step 2: 'Db::getGroup'
// RISKY:      :[[@LINE-7]]:3: note: assumes: 'name' is moved from inside the callback of 'Db::getGroup', which holds a const copy: today that copies, after flattening it moves

// The remarks come after the warnings, in source order.
// SAFE:       :[[@LINE-18]]:3: remark: left alone in 'byValue': confidence 'reasonable' is below the minimum 'safe'; parameter 'name' is now taken by value
// SAFE:       :[[@LINE-11]]:3: remark: left alone in 'movesFromCopy': confidence 'risky' is below the minimum 'safe'
// REASONABLE: :[[@LINE-12]]:3: remark: left alone in 'movesFromCopy': confidence 'risky' is below the minimum 'reasonable'; {{.*}}moved from

// CHECK-FIXES: awaitify::detached sure_coro(Db *db, int id, std::function<void(int)> done) {
// CHECK-FIXES: void sure(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   sure_coro(&db, id, std::move(done));
// CHECK-FIXES: awaitify::detached byValueCoro(Db *db, std::string name,
// CHECK-FIXES: void byValue(Db &db, const std::string &name, std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   byValueCoro(&db, name, std::move(done));
// CHECK-FIXES:      awaitify::detached movesFromCopyCoro(Db *db, std::string name,
// CHECK-FIXES-NEXT:                                      std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(1, resume); });
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(std::move(name));
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void movesFromCopy(Db &db, std::string name, std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   movesFromCopyCoro(&db, std::move(name), std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
