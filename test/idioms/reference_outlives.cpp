// References to an object that outlives the chain: the function takes
// `Inventory &inv` and the callbacks capture it by reference. A reference
// capture of a reference names the caller's object, and so does the
// coroutine's reference parameter: nothing changes.
//
// EXPECT: rewrite safe
#include <map>

#include "idioms.hpp"

using idioms::trace;

struct Inventory {
  std::map<int, int> stock;
};

void restock(Inventory &inv, int item) {
  io::get(item, [&inv, item](int amount) {
    inv.stock[item] += amount;
    trace("restock", item, "+", amount);
    io::get(amount, [&inv, item](int extra) {
      inv.stock[item] += extra;
      trace("restock", item, "+", extra, "=", inv.stock[item]);
    });
  });
}

int main() {
  Inventory inv;
  restock(inv, 3);
  restock(inv, 4);
  restock(inv, 3);
  idioms::run();
  for (const auto &[item, count] : inv.stock)
    trace("stock", item, count);
  trace("== end");
  return 0;
}
