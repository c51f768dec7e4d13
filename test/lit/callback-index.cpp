// A rule may name the callback by index (`callback: 0` for sched::defer and
// sched::deferValue in Inputs/apis.yaml): that argument becomes `resume`,
// the others stay where they are.
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

void later(std::function<void(int)> done) {
  sched::defer([done] {
    sched::deferValue([done](int v) { done(v); }, 42);
  }, 10);
}
// CHECK-MESSAGES: :[[@LINE-4]]:3: warning: callback chain of 2 calls (depth 2) in 'later' can be rewritten with co_await (confidence: safe)
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:3: note: step 1: 'sched::defer' completes into this callback
// CHECK-MESSAGES-NEXT: :[[@LINE-5]]:5: note: step 2: 'sched::deferValue' completes into this callback

// CHECK-FIXES:      awaitify::detached later(std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback(
// CHECK-FIXES-NEXT:       [&](auto resume) { sched::defer(resume, 10); });
// CHECK-FIXES-NEXT:   int v = co_await awaitify::from_callback<int>(
// CHECK-FIXES-NEXT:       [&](auto resume) { sched::deferValue(resume, 42); });
// CHECK-FIXES-NEXT:   done(v);
// CHECK-FIXES-NEXT: }

} // namespace
