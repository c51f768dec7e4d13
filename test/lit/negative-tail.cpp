// A chain whose first call is not in tail position stays callbacks: code
// after the call runs before its callback today, and must keep doing so.
// The file does not change, and --explain says why the chain was left alone.
//
// RUN: %awaitify check --explain --no-default-rules --rules %S/Inputs/apis.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not=warning:
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0
// RUN: cmp %s %t.cpp

#include "db.h"

void nonTail(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
  done(-1);
}
// CHECK: negative-tail.cpp:[[@LINE-5]]:3: remark: left alone in 'nonTail': {{.*}}tail position

// The same inside a continuation: the inner chain is not in tail position.
void nonTailInner(Db &db, int id, std::function<void(int)> done) {
  db.flush([&db, id, done] {
    db.getUser(id, [&db, done](User user) {
      db.getGroup(user.id, [done](Group g) { done(g.id); });
    });
    done(0);
  });
}
// CHECK: negative-tail.cpp:[[@LINE-6]]:5: remark: left alone in 'nonTailInner': {{.*}}tail position
