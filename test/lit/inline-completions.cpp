// APIs that may call back before they return (no `completes: later` in
// their rule). A detached coroutine then goes on inside the API's call, as
// the callback did, so two things the callback code did can change:
//  - what it lent the API by reference lived until the lending function
//    returned; in the coroutine it may die inside the call: `reasonable`,
//    naming the variable;
//  - an exception after an inline first step left the function; in the
//    coroutine it reaches the unhandled-exception handler: `reasonable`
//    when something may throw, `risky` (left alone) for a `throw` written
//    there, naming its line.
//
// RUN: %expect_exit 1 %awaitify check --min-confidence=risky --no-default-rules --rules %S/Inputs/apis.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --explain --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-FIX-MESSAGES
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

#include <stdexcept>

// Internal linkage, but a function that takes its Db by reference, which a
// coroutine must not (CP.53), keeps its signature and starts a coroutine of
// its own, defined just above it, that takes a Db *.
namespace {

void greet(Db &db, std::function<void(std::string)> done) {
  std::string name = "ada";
  db.findByName(name, [&db, done](User u) {
    db.getGroup(u.id, [done, u](Group g) { done(u.name + std::to_string(g.id)); });
  });
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'greet' can be rewritten with co_await (confidence: reasonable)
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:3: note: step 1: 'Db::findByName' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:5: note: step 2: 'Db::getGroup' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-7]]:3: note: assumes: 'Db::findByName' is lent 'name' (by reference, pointer or view): if it calls back before it returns, it must not use it after that, as the coroutine may have left its scope by then ('completes: later' in its rule says it never calls back before it returns)
// CHECK-MESSAGES-NEXT: :[[@LINE-8]]:3: note: assumes: 'Db::findByName' may call back before it returns: an exception from 'Db::getGroup' after that would then reach the unhandled-exception handler (which terminates), not leave 'greet' as before ('completes: later' in its rule says it never calls back before it returns)

// CHECK-FIXES:      awaitify::detached greet_coro(Db *db, std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   std::string name = "ada";
// CHECK-FIXES-NEXT:   User u = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->findByName(name, resume); });
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(u.id, resume); });
// CHECK-FIXES-NEXT:   done(u.name + std::to_string(g.id));
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void greet(Db &db, std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   greet_coro(&db, std::move(done));
// CHECK-FIXES-NEXT: }

void strict(Db &db, std::function<void(int)> done) {
  db.peekUser(1, [&db, done](const User &u) {
    if (u.id < 0)
      throw std::invalid_argument("no user");
    db.getGroup(u.id, [done](Group g) { done(g.id); });
  });
}
// CHECK-MESSAGES: :[[@LINE-6]]:3: warning: callback chain of 2 calls (depth 2) in 'strict' can be rewritten with co_await (confidence: risky)
// CHECK-MESSAGES-NEXT: :[[@LINE-7]]:3: note: step 1: 'Db::peekUser' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:5: note: step 2: 'Db::getGroup' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-9]]:3: note: assumes: 'Db::peekUser' may call back before it returns: the exception thrown on line [[#@LINE-7]] would then reach the unhandled-exception handler (which terminates), not leave 'strict' as before ('completes: later' in its rule says it never calls back before it returns)
// CHECK-FIX-MESSAGES: :[[@LINE-10]]:3: remark: left alone in 'strict': {{.*}}risky{{.*}}

// The throw after an API that completes later runs in an activation that a
// completion call resumed, which throws on what the coroutine lets out, as
// the callback did.
void relaxedThrow(Db &db, std::function<void(int)> done) {
  db.peekUser(1, [&db, done](const User &u) {
    db.getGroup(u.id, [done](Group g) {
      if (g.id < 0)
        throw std::invalid_argument("no group");
      done(g.id);
    });
  });
}
// CHECK-MESSAGES: :[[@LINE-8]]:3: warning: callback chain of 2 calls (depth 2) in 'relaxedThrow' can be rewritten with co_await (confidence: reasonable)
// CHECK-MESSAGES-NEXT: :[[@LINE-9]]:3: note: step 1: 'Db::peekUser' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-9]]:5: note: step 2: 'Db::getGroup' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-11]]:3: note: assumes: 'Db::peekUser' may call back before it returns: an exception from 'Db::getGroup' after that would then reach the unhandled-exception handler (which terminates), not leave 'relaxedThrow' as before ('completes: later' in its rule says it never calls back before it returns)

// Nothing to assume when every API completes later.
void relaxed(Db &db, std::function<void(int)> done) {
  db.getUser(1, [&db, done](User u) {
    db.getGroup(u.id, [done](Group g) {
      if (g.id < 0)
        throw std::invalid_argument("no group");
      done(g.id);
    });
  });
}
// CHECK-MESSAGES: :[[@LINE-8]]:3: warning: callback chain of 2 calls (depth 2) in 'relaxed' can be rewritten with co_await (confidence: safe)

// CHECK-FIXES:      awaitify::detached relaxed_coro(Db *db, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User u = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(1, resume); });
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(u.id, resume); });
// CHECK-FIXES-NEXT:   if (g.id < 0)
// CHECK-FIXES-NEXT:     throw std::invalid_argument("no group");
// CHECK-FIXES-NEXT:   done(g.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // Nothing to assume when every API completes later.
// CHECK-FIXES-NEXT: void relaxed(Db &db, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   relaxed_coro(&db, std::move(done));
// CHECK-FIXES-NEXT: }

// A view made of a local lends the local as well.
void greetView(Db &db, std::function<void(std::string)> done) {
  std::string name = "ada";
  db.findByView(name, [&db, done](User u) {
    db.getGroup(u.id, [done, u](Group g) { done(u.name + std::to_string(g.id)); });
  });
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'greetView' can be rewritten with co_await (confidence: reasonable)
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:3: note: step 1: 'Db::findByView' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:5: note: step 2: 'Db::getGroup' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-7]]:3: note: assumes: 'Db::findByView' is lent 'name' (by reference, pointer or view): {{.*}}
// CHECK-MESSAGES-NEXT: :[[@LINE-8]]:3: note: assumes: 'Db::findByView' may call back before it returns: {{.*}}

// CHECK-FIXES:      awaitify::detached greetViewCoro(Db *db,
// CHECK-FIXES-NEXT:                                  std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   std::string name = "ada";
// CHECK-FIXES-NEXT:   User u = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->findByView(name, resume); });
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(u.id, resume); });
// CHECK-FIXES-NEXT:   done(u.name + std::to_string(g.id));
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: // A view made of a local lends the local as well.
// CHECK-FIXES-NEXT: void greetView(Db &db, std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   greetViewCoro(&db, std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
