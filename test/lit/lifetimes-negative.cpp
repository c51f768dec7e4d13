// Chains whose rewrite would change when something is destroyed, or what a
// callback reads: each is left alone (at the default minimum confidence),
// and the reason names the capture, local, macro or argument at fault.
//
// RUN: %awaitify check --explain --no-default-rules --rules %S/Inputs/apis.yaml --rules %S/Inputs/lifetimes.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not=warning:
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml --rules %S/Inputs/lifetimes.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0
// RUN: cmp %s %t.cpp

#include "db.h"
#include <cstdio>
#include <memory>

// A lease returns its connection when a copy is destroyed: the callback's
// copy died when that callback was done, before the next one ran.
struct Lease {
  ~Lease() { std::puts("returned"); }
};
void leased(Db &db, Lease lease) {
  db.getUser(1, [&db, lease](User u) {
    db.getGroup(u.id, [](Group g) { std::printf("%d\n", g.id); });
  });
}
// CHECK: :[[@LINE-4]]:3: remark: left alone in 'leased': confidence 'risky' is below the minimum 'reasonable'; 'lease' (Lease) is copied by the callback of 'Db::getUser', whose copy died with that callback; in the coroutine it would live until the chain ends, and destroying it runs code

// `[*this]` copied the object; the coroutine would read the object itself.
struct Counter {
  Db db;
  int n = 1;
  void go() {
    db.getUser(n, [*this](User u) {
      Db other;
      other.getGroup(u.id + n, [](Group) {});
    });
  }
};
// CHECK: :[[@LINE-6]]:5: remark: left alone in 'Counter::go': the callback of 'Db::getUser' captures *this by copy: the coroutine would read the object itself, which its caller may change or destroy before the callback runs
// CHECK: :[[@LINE-5]]:7: remark: left alone in 'Counter::go': a single callback, not a chain

// A pointer locked from a weak_ptr lived while its handler ran; flattened,
// it would keep the object alive across the next lookup.
struct Watcher : std::enable_shared_from_this<Watcher> {
  ~Watcher() { std::puts("gone"); }
  Db db;
  void watch() {
    std::weak_ptr<Watcher> weak = weak_from_this();
    db.getUser(1, [weak](User u) {
      if (auto self = weak.lock())
        self->db.getGroup(u.id, [](Group) {});
    });
  }
};
// CHECK: :[[@LINE-6]]:5: remark: left alone in 'Watcher::watch': confidence 'risky' is below the minimum 'reasonable'; 'self' (shared_ptr<Watcher>) died when the callback of 'Db::getUser' returned; in the coroutine it would live across the co_await of 'Db::getGroup', and destroying it runs code

// The macro's `return` would have to become `co_return`.
#define RETURN_IF(c) if (c) return
void guarded(Db &db) {
  db.getUser(1, [&db](User u) {
    RETURN_IF(u.id < 0);
    db.getGroup(u.id, [](Group) {});
  });
}
// CHECK: :[[@LINE-5]]:3: remark: left alone in 'guarded': the callback of 'Db::getUser' uses macro 'RETURN_IF', whose expansion returns out of it: the rewrite cannot change what a macro expands to (a `return;` must become `co_return;`)
// CHECK: :[[@LINE-4]]:5: remark: left alone in 'guarded': a single callback, not a chain

// Named in a rule file by mistake: only one of two callbacks runs.
namespace shop {
void fetch(int key, std::function<void(int)> onOk,
           std::function<void(std::error_code)> onError);
}
void twoCallbacks() {
  shop::fetch(1, [](int a) { shop::fetch(a, [](int) {}, [](std::error_code) {}); },
              [](std::error_code) {});
}
// CHECK: :[[@LINE-3]]:3: remark: left alone in 'twoCallbacks': 'shop::fetch' takes a second callable argument (argument 3): only one of its callbacks runs, so it is not a completion API and its rule does not apply
// CHECK: :[[@LINE-4]]:30: remark: left alone in 'twoCallbacks': 'shop::fetch' takes a second callable argument (argument 3)
