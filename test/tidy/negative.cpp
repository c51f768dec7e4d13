// Places the check must leave alone: no warning, no fix.
//
// RUN: %clang_tidy --load=%tidy_plugin --checks='-*,awaitify-*' \
// RUN:   -config="{CheckOptions: {awaitify-callback-chain.RuleFiles: '%S/Inputs/shop.yaml'}}" \
// RUN:   %s -- -std=c++20 -I%S/Inputs 2>/dev/null | count 0

#include "shop.h"

// One callback is not a chain.
void single(std::string Item) {
  shop::fetchPrice(Item, [](int Price) { std::printf("%d\n", Price); });
}

// Code after the call runs before its callback: not a tail call.
void notTail(std::string Item) {
  shop::fetchPrice(Item, [](int Price) {
    shop::charge(Price, [](std::string R) { std::printf("%s\n", R.c_str()); });
  });
  std::printf("asked\n");
}

// shop::every calls its callback many times and is in no rule file; the
// callback cannot become a coroutine itself, as it captures Item.
void multiShot(std::string Item) {
  shop::every(3, [Item](int I) {
    shop::fetchPrice(Item, [I](int Price) {
      shop::charge(Price + I, [](std::string R) { std::printf("%s\n", R.c_str()); });
    });
  });
}

int main() { return 0; }
