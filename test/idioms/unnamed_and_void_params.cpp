// Callbacks whose value is not used: an unnamed parameter `(int)` and a
// callback with no parameters at all (io::tick). Nothing is bound for them.
//
// EXPECT: rewrite safe
#include "idioms.hpp"

using idioms::trace;

void heartbeat(int key) {
  io::get(key, [key](int) {
    trace("heartbeat", key, "looked up");
    io::tick([key] {
      trace("heartbeat", key, "ticked");
      io::get(key + 1, [key](int next) { trace("heartbeat", key, "next is", next); });
    });
  });
}

int main() {
  heartbeat(3);
  heartbeat(8);
  idioms::run();
  trace("== end");
  return 0;
}
