// A chain in its simplest useful form, for tests that only need one.
#include "shop.h"

void order(std::string Item) {
  shop::fetchPrice(Item, [Item](int Price) {
    shop::charge(Price, [Item](std::string Receipt) {
      std::printf("%s: %s\n", Item.c_str(), Receipt.c_str());
    });
  });
}
