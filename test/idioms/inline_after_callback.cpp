// Inline completion where the API still has work to do after the callback
// returns: io::get_now calls back inside the call and then prints
// "api: after callback". Three steps deep, the callback version prints each
// step's line before the "after" lines of the calls it is nested in, and the
// caller's line comes last. The coroutine must keep exactly that order.
//
// Rated reasonable: an exception inside the first io::get_now call would
// reach awaitify's unhandled-exception handler instead of leaving the
// function (docs/guide.md); exception_inline_continuation.cpp throws one.
//
// EXPECT: rewrite reasonable
#include "idioms.hpp"

using idioms::trace;

void audit(int key) {
  io::get_now(key, [key](int a) {
    trace("audit", key, "level 1:", a);
    io::get_now(a, [key](int b) {
      trace("audit", key, "level 2:", b);
      io::get_now(b, [key](int c) { trace("audit", key, "level 3:", c); });
    });
  });
}

int main() {
  audit(2);
  trace("main: audit returned");
  audit(7);
  trace("main: audit returned");
  trace("== end");
  return 0;
}
