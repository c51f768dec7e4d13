// --explain prints, for each chain left alone, one remark in clang's format:
//   file:line:col: remark: left alone in 'function': reason [awaitify-callback-chain]
// at the chain's first call. These are reasons that negative*.cpp does not
// cover; none of these functions changes.
//
// RUN: %awaitify check --explain --no-default-rules --rules %S/Inputs/apis.yaml --rules %S/Inputs/explain.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not=warning:
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml --rules %S/Inputs/explain.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0
// RUN: cmp %s %t.cpp

#include "db.h"

// A deduced return type cannot become awaitify::detached by itself.
auto deduced(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
// CHECK: explain.cpp:[[@LINE-4]]:3: remark: left alone in 'deduced': the function's return type is deduced [awaitify-callback-chain]

struct Conn {
  Conn(Db &db, std::function<void(int)> done) {
    db.getUser(1, [&db, done](User user) {
      db.getGroup(user.id, [done](Group g) { done(g.id); });
    });
  }
};
// CHECK: explain.cpp:[[@LINE-5]]:5: remark: left alone{{.*}}: constructors and destructors cannot be coroutines [awaitify-callback-chain]

// A label cannot be flattened into the enclosing function.
void labelled(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
  again:
    if (user.id < 0) {
      user.id = 0;
      goto again;
    }
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
// CHECK: explain.cpp:[[@LINE-9]]:3: remark: left alone in 'labelled': the callback of 'Db::getUser' declares a label [awaitify-callback-chain]

// The rule in explain.yaml says the callback is argument 2; these calls
// have two arguments.
void badIndex(std::function<void()> done) {
  sched::defer([done] {
    sched::defer([done] { done(); }, 1);
  }, 1);
}
// CHECK: explain.cpp:[[@LINE-4]]:3: remark: left alone in 'badIndex': the rule for 'sched::defer' names callback parameter 2, but the call has 2 arguments [awaitify-callback-chain]
