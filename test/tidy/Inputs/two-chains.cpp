// Two chains in one file: both need the runtime #include, which must be
// added once.
#include "shop.h"

void order(std::string Item) {
  shop::fetchPrice(Item, [Item](int Price) {
    shop::charge(Price, [Item](std::string Receipt) {
      std::printf("%s: %s\n", Item.c_str(), Receipt.c_str());
    });
  });
}

void restock(std::string Item, int Count) {
  shop::reserve(Item, Count, [Item](bool Ok) {
    shop::fetchPrice(Item, [Ok](int Price) {
      std::printf("%d %d\n", Ok, Price);
    });
  });
}
