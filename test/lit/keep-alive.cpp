// Keep-alives: when a handler of a chain owned the object, the coroutine owns
// it from its first line to its end -- before the loop a recursive step
// becomes, never inside it, where the owner would die at each `continue`.
// Owners are `auto self = shared_from_this();`, `[this, self]`, and a member
// bound to `shared_from_this()` with std::bind or std::bind_front.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

// Internal linkage: the functions become coroutines in place (functions
// other files see keep their signature: keeps-signature.cpp).
namespace {

class Walker : public std::enable_shared_from_this<Walker> {
public:
  void start() { step(0); }

private:
  void step(std::size_t i) {
    if (i == ids_.size()) {
      std::puts("done");
      return;
    }
    auto self = shared_from_this();
    db_.getUser(ids_[i], [this, self, i](User u) {
      std::printf("%zu %s\n", i, u.name.c_str());
      step(i + 1);
    });
  }
  Db db_;
  std::vector<int> ids_;
};
// CHECK-MESSAGES: :[[@LINE-17]]:18: warning: callback chain of 3 calls (depth 1) in 'Walker::start' can be rewritten with co_await (confidence: reasonable)
// CHECK-MESSAGES: note: assumes: the coroutine owns the object from its start ('auto self = shared_from_this();'), as its handlers did one after another; a shared_ptr must own the object whenever 'Walker::start' is called

// CHECK-FIXES:      awaitify::detached start() {
// CHECK-FIXES-NEXT:   auto self = shared_from_this();
// CHECK-FIXES-NEXT:   std::size_t i = 0;
// CHECK-FIXES-NEXT:   for (;;) {
// CHECK-FIXES-NEXT:     if (i == ids_.size()) {
// CHECK-FIXES-NEXT:       std::puts("done");
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     User u = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:         [&](auto resume) { db_.getUser(ids_[i], resume); });

class Reader : public std::enable_shared_from_this<Reader> {
public:
  void start() {
    db_.getUser(id_, std::bind_front(&Reader::onUser, shared_from_this()));
  }

private:
  void onUser(User u) {
    db_.getGroup(u.id, std::bind(&Reader::onGroup, shared_from_this(),
                                 std::placeholders::_1));
  }
  void onGroup(Group g) { std::printf("%d\n", g.id); }
  Db db_;
  int id_ = 0;
};
// CHECK-MESSAGES: :[[@LINE-12]]:5: warning: callback chain of 2 calls (depth 2) in 'Reader::start' can be rewritten with co_await (confidence: reasonable)

// CHECK-FIXES:      awaitify::detached start() {
// CHECK-FIXES-NEXT:   auto self = shared_from_this();
// CHECK-FIXES-NEXT:   User u = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db_.getUser(id_, resume); });
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db_.getGroup(u.id, resume); });
// CHECK-FIXES-NEXT:   std::printf("%d\n", g.id);
// CHECK-FIXES-NEXT: }

} // namespace
