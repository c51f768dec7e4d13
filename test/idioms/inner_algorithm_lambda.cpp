// Lambdas that are not continuations: a std::sort comparator and a
// std::for_each body inside the callbacks. They must stay lambdas, untouched,
// while the two completion callbacks around them are flattened.
//
// EXPECT: rewrite safe
#include <algorithm>
#include <vector>

#include "idioms.hpp"

using idioms::trace;

void rank(std::vector<int> keys) {
  io::get(keys.front(), [keys](int pivot) {
    std::vector<int> scores;
    for (int k : keys)
      scores.push_back(io::value_of(k) - pivot);
    std::sort(scores.begin(), scores.end(), [](int x, int y) { return x > y; });
    io::get(scores.front(), [scores](int best) {
      std::for_each(scores.begin(), scores.end(), [best](int s) {
        trace("rank: score", s, s + best > 50 ? "high" : "low");
      });
    });
  });
}

int main() {
  rank({3, 4, 5, 6});
  idioms::run();
  trace("== end");
  return 0;
}
