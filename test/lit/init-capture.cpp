// Init-captures such as `[self = shared_from_this()]` keep owning what they
// own for the rest of the chain: each becomes a local declared once, before
// the first co_await, and the callbacks that captured it by name use that
// local. The coroutine owns the object from its start to its end.
//
// RUN: rm -rf %t && mkdir %t
// RUN: cp %s %t/init-capture.cpp && cp %S/Inputs/session.h %t/session.h
// RUN: %expect_exit 1 %awaitify check --min-confidence=risky --no-default-rules --rules %S/Inputs/apis.yaml %t/init-capture.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-RISKY
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t/init-capture.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning: --implicit-check-not='not rewritten'
// RUN: grep -v '^// [A-Z-]*:' %t/init-capture.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: FileCheck %s --check-prefix=CHECK-HEADER --input-file=%t/session.h
// RUN: %clangxx -I%S/Inputs %t/init-capture.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t/init-capture.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "session.h"

// The owning pointer is taken once; the inner callback copies it.
void Session::owned(int id) {
  db.getUser(id, [self = shared_from_this()](User user) {
    self->db.getGroup(user.id, [self, user](Group group) {
      self->record(user, group);
    });
  });
}
// CHECK-MESSAGES: init-capture.cpp:[[@LINE-6]]:3: warning: callback chain of 2 calls (depth 2) in 'Session::owned'

// CHECK-FIXES:      void Session::owned(int id) { owned_coro(id); }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: awaitify::detached Session::owned_coro(int id) {
// CHECK-FIXES-NEXT:   auto self = shared_from_this();
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db.getUser(id, resume); });
// CHECK-FIXES-NEXT:   Group group = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { self->db.getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   self->record(user, group);
// CHECK-FIXES-NEXT: }

// Each level takes its own: the coroutine owns the object once, from its
// start, and the second owner is the same object.
void Session::ownedEachLevel(int id) {
  db.getUser(id, [self = shared_from_this()](User user) {
    self->db.getGroup(user.id, [self = self->shared_from_this(), user](Group group) {
      self->record(user, group);
    });
  });
}
// CHECK-MESSAGES: init-capture.cpp:[[@LINE-6]]:3: warning: callback chain of 2 calls (depth 2) in 'Session::ownedEachLevel'

// CHECK-FIXES:      void Session::ownedEachLevel(int id) { ownedEachLevelCoro(id); }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: awaitify::detached Session::ownedEachLevelCoro(int id) {
// CHECK-FIXES-NEXT:   auto self = shared_from_this();
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db.getUser(id, resume); });
// CHECK-FIXES-NEXT:   Group group = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { self->db.getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   self->record(user, group);
// CHECK-FIXES-NEXT: }

// Only the first callback keeps the session alive; `this` is used directly.
// While getGroup is pending nothing of the chain owns the session, which may
// be destroyed then; a coroutine that owns it until the end would keep it
// alive longer. Risky: left alone at the default confidence.
void Session::ownedOuterOnly(int id) {
  db.getUser(id, [this, self = shared_from_this()](User user) {
    db.getGroup(user.id, [this, user](Group group) { record(user, group); });
  });
}
// CHECK-RISKY: init-capture.cpp:[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'Session::ownedOuterOnly' can be rewritten with co_await (confidence: risky)
// CHECK-RISKY-NEXT: note: step 1
// CHECK-RISKY-NEXT: note: step 2
// CHECK-RISKY-NEXT: note: assumes: the callback of 'Db::getGroup' on line [[@LINE-6]] does not own the object: it could be destroyed while that operation was pending

// CHECK-FIXES:      void Session::ownedOuterOnly(int id) {
// CHECK-FIXES-NEXT:   db.getUser(id, [this, self = shared_from_this()](User user) {
// CHECK-FIXES-NEXT:     db.getGroup(user.id, [this, user](Group group) { record(user, group); });
// CHECK-FIXES-NEXT:   });
// CHECK-FIXES-NEXT: }

void Session::start(int) {}
// CHECK-MESSAGES: session.h:20:5: warning: callback chain of 2 calls (depth 2) in 'Session::inClass'

// The methods keep their signatures; each coroutine is a private member
// declared next to its method.
// CHECK-HEADER:      void start(int id);
// CHECK-HEADER-NEXT: void owned(int id);
// CHECK-HEADER-EMPTY:
// CHECK-HEADER-NEXT: private:
// CHECK-HEADER-NEXT:   awaitify::detached owned_coro(int id);
// CHECK-HEADER-EMPTY:
// CHECK-HEADER-NEXT: public:
// CHECK-HEADER-NEXT:   void ownedEachLevel(int id);
// CHECK-HEADER-EMPTY:
// CHECK-HEADER-NEXT: private:
// CHECK-HEADER-NEXT:   awaitify::detached ownedEachLevelCoro(int id);
// CHECK-HEADER-EMPTY:
// CHECK-HEADER-NEXT: public:
// CHECK-HEADER-NEXT:   void ownedOuterOnly(int id);
