// orders.h of Inputs/project, but audit() declares a variable of its own
// whose name the flattened callbacks also use: `Ok` when AUDIT_FLAG is
// defined, `Price` when not. Each translation unit's rewrite renames a
// different variable, and each breaks the other (conflict.test).
#ifndef ORDERS_H
#define ORDERS_H

#include "shop.h"

void order(std::string Item);
void restock(std::string Item, int Count);

// Seen by both translation units: one chain, rewritten once.
inline void audit(std::string Item) {
#ifdef AUDIT_FLAG
  bool Ok = true;
  std::printf("flagged %d\n", Ok);
#else
  int Price = 0;
  std::printf("unflagged %d\n", Price);
#endif
  shop::fetchPrice(Item, [Item](int Price) {
    shop::reserve(Item, 0, [Item, Price](bool Ok) {
      std::printf("audit %s %d %d\n", Item.c_str(), Price, Ok);
    });
  });
}

#endif
