// `if (ec) return done(ec);` where `done` is a std::function (a call through
// operator()) is the same early exit as `return fail(ec);` with a plain
// function, and is rewritten the same way: the call, then `co_return` (in one
// statement or two).
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

// Internal linkage: the functions become coroutines in place (functions
// other files see keep their signature: keeps-signature.cpp).
namespace {

void greet(int fd, std::function<void(std::error_code)> done) {
  net::connect("example.org", [fd, done](std::error_code ec) {
    if (ec)
      return done(ec);
    net::write(fd, "hello", [done](std::error_code err) { done(err); });
  });
}
// CHECK-MESSAGES: :[[@LINE-6]]:3: warning: callback chain of 2 calls (depth 2) in 'greet'

// CHECK-FIXES:      awaitify::detached greet(int fd, std::function<void(std::error_code)> done) {
// CHECK-FIXES-NEXT:   std::error_code ec = co_await awaitify::from_callback<std::error_code>(
// CHECK-FIXES-NEXT:       [&](auto resume) { net::connect("example.org", resume); });
// CHECK-FIXES-NEXT:   if (ec)
// CHECK-FIXES-DAG:      done(ec);
// CHECK-FIXES-DAG:      co_return
// CHECK-FIXES:        std::error_code err = co_await awaitify::from_callback<std::error_code>(
// CHECK-FIXES-NEXT:       [&](auto resume) { net::write(fd, "hello", resume); });
// CHECK-FIXES-NEXT:   done(err);
// CHECK-FIXES-NEXT: }

} // namespace
