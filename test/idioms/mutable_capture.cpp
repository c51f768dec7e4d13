// A `mutable` init-capture (`[attempts = 0]`) incremented in each step and
// copied on to the next one. Each callback changes only its own copy, and
// nothing reads an older copy after the next step has started, so one
// variable in the coroutine behaves the same.
//
// EXPECT: rewrite reasonable
#include "idioms.hpp"

using idioms::trace;

void probe(int key) {
  io::get(key, [key, attempts = 0](int a) mutable {
    ++attempts;
    trace("probe", key, "attempt", attempts, "saw", a);
    io::get(a, [key, attempts](int b) mutable {
      ++attempts;
      trace("probe", key, "attempt", attempts, "saw", b);
      io::get(b, [key, attempts](int c) mutable {
        ++attempts;
        trace("probe", key, "finished after", attempts, "attempts, last", c);
      });
    });
  });
}

int main() {
  probe(1);
  probe(6);
  idioms::run();
  trace("== end");
  return 0;
}
