// The plugin in Debian's own clang-tidy: a chain of three calls gets one
// warning with a note per step, `--fix` writes the rewrite, the result
// compiles, prints the same trace as the original on the same event loop,
// and a second run finds nothing more to do.
//
// RUN: %clang_tidy --load=%tidy_plugin --checks='-*,awaitify-*' \
// RUN:   -config="{CheckOptions: {awaitify-callback-chain.RuleFiles: '%S/Inputs/shop.yaml'}}" \
// RUN:   %s -- -std=c++20 -I%runtime_include -I%S/Inputs 2>/dev/null \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
//
// RUN: cp %s %t.cpp
// RUN: %clang_tidy --load=%tidy_plugin --checks='-*,awaitify-*' --fix \
// RUN:   -config="{CheckOptions: {awaitify-callback-chain.RuleFiles: '%S/Inputs/shop.yaml'}}" \
// RUN:   %t.cpp -- -std=c++20 -I%runtime_include -I%S/Inputs 2>&1 | FileCheck %s --check-prefix=CHECK-APPLIED
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
//
// Same behaviour: the original and the rewrite print the same trace.
// RUN: %cxx -I%S/Inputs %s -o %t.before && %t.before > %t.before.txt
// RUN: %check_rewrite %cxx -I%S/Inputs %t.cpp -o %t.after && %t.after > %t.after.txt
// RUN: diff %t.before.txt %t.after.txt
// RUN: FileCheck %s --check-prefix=TRACE --input-file=%t.after.txt
//
// Nothing left to do.
// RUN: %clang_tidy --load=%tidy_plugin --checks='-*,awaitify-*' \
// RUN:   -config="{CheckOptions: {awaitify-callback-chain.RuleFiles: '%S/Inputs/shop.yaml'}}" \
// RUN:   %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include 2>/dev/null | count 0

#include "shop.h"
// CHECK-FIXES: #include "shop.h"
// CHECK-FIXES-NEXT: #include <awaitify/detached.hpp>
// CHECK-FIXES-NEXT: #include <awaitify/from_callback.hpp>

void buy(std::string Item, int Count) {
  std::printf("buy %s x%d\n", Item.c_str(), Count);
  shop::fetchPrice(Item, [Item, Count](int Price) {
    // Reserve only once the price is known.
    std::printf("%s costs %d\n", Item.c_str(), Price);
    shop::reserve(Item, Count, [Item, Count, Price](bool Ok) {
      if (!Ok) {
        std::printf("%s: out of stock\n", Item.c_str());
        return;
      }
      shop::charge(Price * Count, [Item](std::string Receipt) {
        std::printf("%s: %s\n", Item.c_str(), Receipt.c_str());
      });
    });
  });
}
// CHECK-MESSAGES: chain-fix.cpp:[[@LINE-14]]:3: warning: callback chain of 3 calls (depth 3) in 'buy' can be rewritten with co_await (confidence: safe) [awaitify-callback-chain]
// CHECK-MESSAGES: chain-fix.cpp:[[@LINE-15]]:3: note: step 1: 'shop::fetchPrice' completes into this callback
// CHECK-MESSAGES: chain-fix.cpp:[[@LINE-13]]:5: note: step 2: 'shop::reserve' completes into this callback
// CHECK-MESSAGES: chain-fix.cpp:[[@LINE-9]]:7: note: step 3: 'shop::charge' completes into this callback
// CHECK-APPLIED: clang-tidy applied 3 of 3 suggested fixes.

// `buy` has external linkage: it keeps its signature and starts a
// coroutine of its own.
// CHECK-FIXES:      namespace {
// CHECK-FIXES-NEXT: awaitify::detached buy_coro(std::string Item, int Count) {
// CHECK-FIXES-NEXT:   std::printf("buy %s x%d\n", Item.c_str(), Count);
// CHECK-FIXES-NEXT:   int Price = co_await awaitify::from_callback<int>(
// CHECK-FIXES-NEXT:       [&](auto resume) { shop::fetchPrice(Item, resume); });
// CHECK-FIXES-NEXT:   // Reserve only once the price is known.
// CHECK-FIXES-NEXT:   std::printf("%s costs %d\n", Item.c_str(), Price);
// CHECK-FIXES-NEXT:   bool Ok = co_await awaitify::from_callback<bool>(
// CHECK-FIXES-NEXT:       [&](auto resume) { shop::reserve(Item, Count, resume); });
// CHECK-FIXES-NEXT:   if (!Ok) {
// CHECK-FIXES-NEXT:     std::printf("%s: out of stock\n", Item.c_str());
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   std::string Receipt = co_await awaitify::from_callback<std::string>(
// CHECK-FIXES-NEXT:       [&](auto resume) { shop::charge(Price * Count, resume); });
// CHECK-FIXES-NEXT:   std::printf("%s: %s\n", Item.c_str(), Receipt.c_str());
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-NEXT: } // namespace
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void buy(std::string Item, int Count) { buy_coro(std::move(Item), Count); }

int main() {
  buy("tea", 2);
  buy("coffee", 5);
  shop::loop().run();
  std::printf("closed\n");
}
// TRACE:      buy tea x2
// TRACE-NEXT: buy coffee x5
// TRACE-NEXT: tea costs 300
// TRACE-NEXT: coffee costs 600
// TRACE-NEXT: coffee: out of stock
// TRACE-NEXT: tea: receipt-600
// TRACE-NEXT: closed
