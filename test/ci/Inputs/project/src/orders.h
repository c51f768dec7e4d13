// Shared by order.cpp and restock.cpp (their functions keep the signatures
// declared here): audit()'s rewrite adds the runtime #include -- once.
#ifndef ORDERS_H
#define ORDERS_H

#include "shop.h"

void order(std::string Item);
void restock(std::string Item, int Count);

// Seen by both translation units: one chain, rewritten once.
inline void audit(std::string Item) {
  shop::fetchPrice(Item, [Item](int Price) {
    shop::reserve(Item, 0, [Item, Price](bool Ok) {
      std::printf("audit %s %d %d\n", Item.c_str(), Price, Ok);
    });
  });
}

#endif
