// A by-copy capture freezes a value at the call: `[gen = generation]` takes
// the global generation counter when the chain starts, and main bumps the
// counter while the chain is in flight. Each step prints the frozen value
// and the live one; the coroutine's variable must hold the frozen value, not
// read the global again.
//
// EXPECT: rewrite safe
#include "idioms.hpp"

using idioms::trace;

int generation = 0;

void snapshot(int key) {
  io::get(key, [key, gen = generation](int a) {
    trace("snapshot", key, "taken at", gen, "now", generation, "value", a);
    io::get(a, [key, gen](int b) {
      trace("snapshot", key, "taken at", gen, "now", generation, "value", b);
    });
  });
}

int main() {
  snapshot(1);
  ++generation;
  snapshot(2);
  ++generation;
  io::tick([] {
    ++generation;
    trace("generation is now", generation);
  });
  idioms::run();
  trace("== end");
  return 0;
}
