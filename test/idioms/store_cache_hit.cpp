// A member completion API that completes inline on a cache hit and later on
// a miss: io::Store::get. The second step asks for the same key again, so
// it completes inline, inside the call; the first completes from the loop.
// Both shapes must keep their order.
//
// Rated reasonable: io::Store::get may call back before it returns, and an
// exception thrown then would reach awaitify's unhandled-exception handler
// instead of leaving the function (docs/guide.md).
//
// EXPECT: rewrite reasonable
#include <string>

#include "idioms.hpp"

using idioms::trace;

void show(io::Store &store, int key) {
  store.get(key, [&store, key](std::string first) {
    trace("show", key, "first", first);
    store.get(key, [key](std::string again) { trace("show", key, "again", again); });
  });
}

int main() {
  io::Store store("users");
  show(store, 3);
  show(store, 4);
  idioms::run();
  trace("== end");
  return 0;
}
