// A long run of inline completions: io::peek calls back inside the call, and
// the callback calls the function again for the next index, 2000 times. The
// callback version recurses 2000 deep (kept small enough for the original to
// fit its stack under AddressSanitizer); the coroutine is a loop whose
// iterations nest inside the calls as the callbacks did, and must not need
// more stack than that.
//
// Rated reasonable: an exception inside the first io::peek call (from a
// later iteration's call, say) would reach awaitify's unhandled-exception
// handler instead of leaving the function (docs/guide.md).
//
// EXPECT: rewrite reasonable
#include "idioms.hpp"

using idioms::trace;

long long total = 0;

void accumulate(int i, int n) {
  if (i == n) {
    trace("accumulate: total after", n, "values:", total);
    return;
  }
  io::peek(i, [i, n](int v) {
    total += v;
    accumulate(i + 1, n);
  });
}

int main() {
  accumulate(0, 2000);
  trace("main: accumulate returned");
  trace("== end");
  return 0;
}
