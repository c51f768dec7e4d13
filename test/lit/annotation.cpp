// [[clang::annotate("awaitify::completion")]] on a declaration makes it a
// completion API without any rule file; "awaitify::completion_later" also
// says that it never calls back before it returns (annotatedFetch in
// Inputs/db.h), as `completes: later` does in a rule file.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include | count 0

#include "db.h"

// Internal linkage: the functions become coroutines in place (functions
// other files see keep their signature: keeps-signature.cpp).
namespace {

void annotated(std::function<void(std::string)> done) {
  annotatedFetch(1, [done](std::string a) {
    annotatedFetch(2, [done, a](std::string b) { done(a + b); });
  });
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'annotated' can be rewritten with co_await (confidence: safe)
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:3: note: step 1: 'annotatedFetch' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:5: note: step 2: 'annotatedFetch' completes into this callback

// CHECK-FIXES:      awaitify::detached annotated(std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   std::string a = co_await awaitify::from_callback<std::string>(
// CHECK-FIXES-NEXT:       [&](auto resume) { annotatedFetch(1, resume); });
// CHECK-FIXES-NEXT:   std::string b = co_await awaitify::from_callback<std::string>(
// CHECK-FIXES-NEXT:       [&](auto resume) { annotatedFetch(2, resume); });
// CHECK-FIXES-NEXT:   done(a + b);
// CHECK-FIXES-NEXT: }

// A local declaration carries the mark too.
[[clang::annotate("awaitify::completion")]] void
localFetch(int key, std::function<void(int)> cb);

void local(std::function<void(int)> done) {
  localFetch(1, [done](int a) {
    localFetch(a, [done](int b) { done(b); });
  });
}
// It may call back before it returns, and what follows may throw.
// CHECK-MESSAGES: :[[@LINE-5]]:3: warning: callback chain of 2 calls (depth 2) in 'local' can be rewritten with co_await (confidence: reasonable)
// CHECK-MESSAGES: :[[@LINE-6]]:3: note: assumes: 'localFetch' may call back before it returns: an exception from 'localFetch' after that would then reach the unhandled-exception handler (which terminates), not leave 'local' as before ('completes: later' in its rule says it never calls back before it returns)

// CHECK-FIXES:      awaitify::detached local(std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   int a = co_await awaitify::from_callback<int>(
// CHECK-FIXES-NEXT:       [&](auto resume) { localFetch(1, resume); });
// CHECK-FIXES-NEXT:   int b = co_await awaitify::from_callback<int>(
// CHECK-FIXES-NEXT:       [&](auto resume) { localFetch(a, resume); });
// CHECK-FIXES-NEXT:   done(b);
// CHECK-FIXES-NEXT: }

} // namespace
