// An executor-like `dispatch`: it runs the job inline when called from
// inside the event loop and posts it otherwise, exactly once either way. The
// chain dispatches onto the executor, looks something up, and dispatches
// back. It is started once from main (dispatch posts) and once from a loop
// job (dispatch runs inline); both orders must be kept.
//
// Rated reasonable: dispatch may run the job before it returns, and an
// exception thrown then would reach awaitify's unhandled-exception handler
// instead of leaving the function (docs/guide.md).
//
// EXPECT: rewrite reasonable
#include "idioms.hpp"

using idioms::trace;

io::Executor executor;

void greet(int key) {
  executor.dispatch([key] {
    trace("greet", key, "on the executor");
    io::get(key, [key](int a) {
      executor.dispatch([key, a] { trace("greet", key, "back on the executor with", a); });
    });
  });
}

int main() {
  greet(1);
  trace("main: greet 1 returned");
  idioms::post([] {
    greet(2);
    trace("job: greet 2 returned");
  });
  idioms::run();
  trace("== end");
  return 0;
}
