// Plain by-copy captures: an int, a std::string and a std::vector<int> are
// copied into each callback and read in later steps. Copies of plain values
// have no visible lifetime, so the rewrite is proven equivalent.
//
// EXPECT: rewrite safe
#include <string>
#include <vector>

#include "idioms.hpp"

using idioms::trace;

void summarize(int key, std::string label, std::vector<int> weights) {
  io::get(key, [key, label, weights](int first) {
    trace(label, "first", first);
    io::get(first, [key, label, weights, first](int second) {
      int total = 0;
      for (int w : weights)
        total += w * (first + second);
      trace(label, "key", key, "total", total);
    });
  });
}

int main() {
  summarize(3, "alpha", {1, 2, 3});
  summarize(8, "beta", {4});
  idioms::run();
  trace("== end");
  return 0;
}
