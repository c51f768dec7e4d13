// Member functions that capture `this`: the flattened code uses the members
// directly. Other files see the class, so each method keeps its signature
// and starts a private coroutine of its own: declared next to the method in
// the header and defined after it for an out-of-line definition; defined in
// the class, in the private section that follows, for one in the class.
//
// RUN: rm -rf %t && mkdir %t
// RUN: cp %s %t/member-function.cpp && cp %S/Inputs/session.h %t/session.h
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t/member-function.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t/member-function.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: FileCheck %s --check-prefix=CHECK-HEADER --input-file=%t/session.h
// RUN: %clangxx -I%S/Inputs %t/member-function.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t/member-function.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "session.h"

void Session::start(int id) {
  db.getUser(id, [this](User user) {
    db.getGroup(user.id, [this, user](Group group) { record(user, group); });
  });
}
// CHECK-MESSAGES: member-function.cpp:[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'Session::start' can be rewritten with co_await (confidence: safe)
// CHECK-MESSAGES: session.h:20:5: warning: callback chain of 2 calls (depth 2) in 'Session::inClass' can be rewritten with co_await (confidence: safe)

// CHECK-FIXES:      void Session::start(int id) { start_coro(id); }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: awaitify::detached Session::start_coro(int id) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db.getUser(id, resume); });
// CHECK-FIXES-NEXT:   Group group = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db.getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   record(user, group);
// CHECK-FIXES-NEXT: }

// The other methods are left to init-capture.cpp.
void Session::owned(int) {}
void Session::ownedEachLevel(int) {}
void Session::ownedOuterOnly(int) {}

// CHECK-HEADER:      #include "db.h"
// CHECK-HEADER-NEXT: #include <awaitify/detached.hpp>
// CHECK-HEADER-NEXT: #include <awaitify/from_callback.hpp>
// CHECK-HEADER:      void start(int id);
// CHECK-HEADER-EMPTY:
// CHECK-HEADER-NEXT: private:
// CHECK-HEADER-NEXT:   awaitify::detached start_coro(int id);
// CHECK-HEADER-EMPTY:
// CHECK-HEADER-NEXT: public:
// CHECK-HEADER-NEXT:   void owned(int id);
// CHECK-HEADER:      void inClass(int id) { inClassCoro(id); }
// CHECK-HEADER-EMPTY:
// CHECK-HEADER-NEXT: private:
// CHECK-HEADER-NEXT:   awaitify::detached inClassCoro(int id) {
// CHECK-HEADER-NEXT:     User user = co_await awaitify::from_callback<User>(
// CHECK-HEADER-NEXT:         [&](auto resume) { db.getUser(id, resume); });
// CHECK-HEADER-NEXT:     Group group = co_await awaitify::from_callback<Group>(
// CHECK-HEADER-NEXT:         [&](auto resume) { db.getGroup(user.id, resume); });
// CHECK-HEADER-NEXT:     record(user, group);
// CHECK-HEADER-NEXT:   }
// CHECK-HEADER-EMPTY:
// CHECK-HEADER-NEXT:   void record(const User &, const Group &);
