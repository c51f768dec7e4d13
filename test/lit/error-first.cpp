// Error-first callbacks: `if (ec) { ...; return; }` stays an early exit,
// now `co_return;`, and ends the whole chain. Each level's `ec` lands in the
// same scope, so the later ones are renamed (and the rename is reported).
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

void echo(int fd, std::function<void(std::error_code)> done) {
  net::connect("example.org", [fd, done](std::error_code ec) {
    if (ec) {
      done(ec);
      return;
    }
    net::read(fd, [fd, done](std::error_code ec, std::string data) {
      if (ec) {
        done(ec);
        return;
      }
      net::write(fd, data, [done](std::error_code ec) { done(ec); });
    });
  });
}
// CHECK-MESSAGES: :[[@LINE-14]]:3: warning: callback chain of 3 calls (depth 3) in 'echo' can be rewritten with co_await (confidence: safe)
// CHECK-MESSAGES: :[[@LINE-15]]:3: note: 'ec' renamed to 'ec2' (the name is taken where it now lands)
// CHECK-MESSAGES-NEXT: :[[@LINE-16]]:3: note: 'ec' renamed to 'ec3' (the name is taken where it now lands)

// CHECK-FIXES:      awaitify::detached echo(int fd, std::function<void(std::error_code)> done) {
// CHECK-FIXES-NEXT:   std::error_code ec = co_await awaitify::from_callback<std::error_code>(
// CHECK-FIXES-NEXT:       [&](auto resume) { net::connect("example.org", resume); });
// CHECK-FIXES-NEXT:   if (ec) {
// CHECK-FIXES-NEXT:     done(ec);
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   auto [ec2, data] =
// CHECK-FIXES-NEXT:       co_await awaitify::from_callback<std::error_code, std::string>(
// CHECK-FIXES-NEXT:           [&](auto resume) { net::read(fd, resume); });
// CHECK-FIXES-NEXT:   if (ec2) {
// CHECK-FIXES-NEXT:     done(ec2);
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   std::error_code ec3 = co_await awaitify::from_callback<std::error_code>(
// CHECK-FIXES-NEXT:       [&](auto resume) { net::write(fd, data, resume); });
// CHECK-FIXES-NEXT:   done(ec3);
// CHECK-FIXES-NEXT: }

// `return f(ec);` (a void call) in the callback ends the chain as well: the
// call, then `co_return` (in one statement or two), so nothing after it runs.
void fail(std::error_code ec);
void returnCall(int fd, std::function<void(std::error_code)> done) {
  net::connect("example.org", [fd, done](std::error_code ec) {
    if (ec)
      return fail(ec);
    net::write(fd, "hello", [done](std::error_code err) { done(err); });
  });
}
// CHECK-MESSAGES: :[[@LINE-6]]:3: warning: callback chain of 2 calls (depth 2) in 'returnCall'

// CHECK-FIXES:      awaitify::detached returnCall(int fd,
// CHECK-FIXES-NEXT:                               std::function<void(std::error_code)> done) {
// CHECK-FIXES-NEXT:   std::error_code ec = co_await awaitify::from_callback<std::error_code>(
// CHECK-FIXES-NEXT:       [&](auto resume) { net::connect("example.org", resume); });
// CHECK-FIXES-NEXT:   if (ec)
// CHECK-FIXES-DAG:      fail(ec);
// CHECK-FIXES-DAG:      co_return
// CHECK-FIXES:        std::error_code err = co_await awaitify::from_callback<std::error_code>(
// CHECK-FIXES-NEXT:       [&](auto resume) { net::write(fd, "hello", resume); });
// CHECK-FIXES-NEXT:   done(err);
// CHECK-FIXES-NEXT: }

} // namespace
