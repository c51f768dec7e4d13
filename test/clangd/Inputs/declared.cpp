#include "declared.h"
#include "shop.h"

void Orders::order(std::string Item) {
  shop::fetchPrice(Item, [Item](int Price) {
    shop::charge(Price, [Item](std::string Receipt) {
      std::printf("%s: %s\n", Item.c_str(), Receipt.c_str());
    });
  });
}
