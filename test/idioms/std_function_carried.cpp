// A std::function completion handler (`done`) captured by every callback
// and called at the end, the design example's shape. Every callback holds a
// copy to the end, so what the function holds is let go at the chain's end,
// before and after.
//
// EXPECT: rewrite safe
#include <functional>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

void sum_of(int first_key, int second_key, std::function<void(int)> done) {
  io::get(first_key, [second_key, done](int a) {
    io::get(second_key, [a, done](int b) { done(a + b); });
  });
}

int main() {
  sum_of(1, 2, [](int sum) { trace("sum of 1 and 2:", sum); });
  sum_of(3, 4, [](int sum) { trace("sum of 3 and 4:", sum); });
  idioms::run();
  trace("== end");
  return 0;
}
