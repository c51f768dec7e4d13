#include "orders.h"

void restock(std::string Item, int Count) {
  shop::reserve(Item, Count, [Item, Count](bool Ok) {
    if (!Ok)
      return;
    shop::fetchPrice(Item, [Item, Count](int Price) {
      std::printf("restocked %d %s at %d\n", Count, Item.c_str(), Price);
    });
  });
}
