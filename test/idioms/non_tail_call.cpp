// A call that is not in tail position: code after the API call runs at once,
// before the callback. Awaiting the call would move that code after the
// callback, so the chain is left alone; the reason says the call is not in
// tail position.
//
// EXPECT: left-alone tail
#include "idioms.hpp"

using idioms::trace;

void prefetch(int key) {
  io::get(key, [key](int a) {
    io::get(a, [key](int b) { trace("prefetch", key, "second value", b); });
    trace("prefetch", key, "second lookup started");
  });
  trace("prefetch", key, "first lookup started");
}

int main() {
  prefetch(3);
  prefetch(4);
  idioms::run();
  trace("== end");
  return 0;
}
