// Flattening moves a callback's parameters and locals into an enclosing
// scope. A name that would collide with, or shadow, a name already visible
// there gets a numeric suffix, every use follows, and a note says so. Names
// that clash with nothing stay as written.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning: --implicit-check-not=renamed
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

// A callback parameter that shadows a local of the function.
void shadowsLocal(Db &db, int id, std::function<void(int)> done) {
  Group g{7};
  db.getUser(id, [&db, g, done](User user) {
    db.getGroup(user.id, [done, g](Group g2) { done(g.id + g2.id); });
  });
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'shadowsLocal'

// CHECK-FIXES:      Group g{7};
// CHECK-FIXES-NEXT: User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:     [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT: Group g2 = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:     [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT: done(g.id + g2.id);
// CHECK-FIXES: shadowsLocalCoro(&db, id, std::move(done));

void shadowsCaptured(Db &db, int id, std::function<void(int)> done) {
  Group g{7};
  db.getUser(id, [&db, g, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'shadowsCaptured'
// CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'g' renamed to 'g2' (the name is taken where it now lands)

// CHECK-FIXES:      Group g{7};
// CHECK-FIXES-NEXT: User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:     [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT: Group g2 = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:     [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT: done(g2.id);
// CHECK-FIXES: shadowsCapturedCoro(&db, id, std::move(done));

// The callback parameter has the name of a local that the call itself uses.
void usedByCall(Db &db, int id, std::function<void(int)> done) {
  int user = id;
  db.getUser(user, [&db, done](User user) {
    db.getGroup(user.id, [done](Group group) { done(group.id); });
  });
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'usedByCall'
// CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'user' renamed to 'user2' (the name is taken where it now lands)

// CHECK-FIXES:      int user = id;
// CHECK-FIXES-NEXT: User user2 = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:     [&](auto resume) { db->getUser(user, resume); });
// CHECK-FIXES-NEXT: Group group = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:     [&](auto resume) { db->getGroup(user2.id, resume); });
// CHECK-FIXES-NEXT: done(group.id);
// CHECK-FIXES: usedByCallCoro(&db, id, std::move(done));

// Locals of two callbacks that now share one scope.
void locals(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    int n = user.id;
    db.getGroup(n, [done](Group g) {
      int n = g.id * 2;
      done(n);
    });
  });
}
// CHECK-MESSAGES: :[[@LINE-8]]:3: warning: callback chain of 2 calls (depth 2) in 'locals'
// CHECK-MESSAGES: :[[@LINE-9]]:3: note: 'n' renamed to 'n2' (the name is taken where it now lands)

// CHECK-FIXES:      int n = user.id;
// CHECK-FIXES-NEXT: Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:     [&](auto resume) { db->getGroup(n, resume); });
// CHECK-FIXES-NEXT: int n2 = g.id * 2;
// CHECK-FIXES-NEXT: done(n2);
// CHECK-FIXES: locals_coro(&db, id, std::move(done));

// The awaiting lambda's own parameter must not hide a `resume` of the user.
void resumeTaken(Db &db, int resume, std::function<void(int)> done) {
  db.getUser(resume, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'resumeTaken'

// CHECK-FIXES:      User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:     [&](auto [[R1:resume[0-9]+]]) { db->getUser(resume, [[R1]]); });
// CHECK-FIXES-NEXT: Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:     [&](auto [[R2:resume[0-9]+]]) { db->getGroup(user.id, [[R2]]); });
// CHECK-FIXES-NEXT: done(g.id);
// CHECK-FIXES: resumeTakenCoro(&db, resume, std::move(done));
