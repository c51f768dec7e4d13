// A chain whose first callback is mutable: the rewrite is only 'reasonable'.
#include "shop.h"

void count(std::string Item) {
  int Calls = 0;
  shop::fetchPrice(Item, [Item, Calls](int Price) mutable {
    ++Calls;
    shop::charge(Price, [Calls](std::string Receipt) {
      std::printf("%d %s\n", Calls, Receipt.c_str());
    });
  });
}
