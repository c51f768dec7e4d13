// A captureless lambda that spells its result type, `-> void`, becomes a
// coroutine lambda the same way: the written `void` becomes
// awaitify::detached.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --explain --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning: --implicit-check-not='could not be formed'
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

auto handler = [](Db *db, std::function<void(int)> done) -> void {
  db->getUser(1, [db, done](User user) {
    db->getGroup(user.id, [done](Group g) { done(g.id); });
  });
};
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in '(lambda)' can be rewritten with co_await (confidence: safe)

// CHECK-FIXES:      auto handler = [](Db *db, std::function<void(int)> done) -> awaitify::detached {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(1, resume); });
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(g.id);
// CHECK-FIXES-NEXT: };
