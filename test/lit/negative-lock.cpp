// A lock taken at the top of a continuation was released when that callback
// returned; flattened, it would stay locked across every later co_await, while
// other handlers run. Such a chain stays callbacks, and --explain says why.
// A lock in the last continuation (no await after it) is fine.
//
// RUN: %expect_exit 1 %awaitify check --explain --no-default-rules --rules %S/Inputs/apis.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not=warning:
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=FIX
// RUN: FileCheck %s --check-prefix=FIXES --input-file=%t.cpp
// RUN: %clangxx -I%S/Inputs %t.cpp

#include "db.h"
#include <mutex>

std::mutex Mu;
int Seen = 0;

void heldAcross(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    std::lock_guard<std::mutex> lock(Mu);
    ++Seen;
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
// CHECK-DAG: negative-lock.cpp:[[@LINE-6]]:3: remark: left alone in 'heldAcross': 'lock' would stay locked across the next co_await

void lockedLast(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) {
      std::unique_lock<std::mutex> lock(Mu);
      done(g.id);
    });
  });
}
// CHECK-DAG: negative-lock.cpp:[[@LINE-7]]:3: warning: callback chain of 2 calls (depth 2) in 'lockedLast'
// FIX: warning: callback chain of 2 calls (depth 2) in 'lockedLast'
// FIXES: void heldAcross(Db &db, int id, std::function<void(int)> done) {
// FIXES: awaitify::detached lockedLast(
// FIXES: std::unique_lock<std::mutex> lock(Mu);
