// Fan-out: a for loop starts one chain per key. The first call of each
// chain is not in tail position (the next iteration runs before its
// callback), so the chain cannot become straight-line code in this
// function. Left alone; the reason says the call is not in tail position.
//
// EXPECT: left-alone tail
#include <vector>

#include "idioms.hpp"

using idioms::trace;

void fan_out(std::vector<int> keys) {
  for (int key : keys) {
    io::get(key, [key](int a) {
      io::get(a, [key](int b) { trace("fan_out", key, "->", b); });
    });
  }
}

int main() {
  fan_out({3, 4, 5});
  trace("main: fan_out returned");
  idioms::run();
  trace("== end");
  return 0;
}
