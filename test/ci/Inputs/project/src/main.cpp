#include "orders.h"

int main() {
  order("tea");
  restock("mugs", 2);
  audit("pot");
  shop::loop().run();
}
