// The callback runs later on another thread, after the call has returned
// and the coroutine has suspended: io::get_from_worker starts a worker
// thread that calls back a few milliseconds later, and the next step starts
// yet another worker from there. main waits for all of them with
// io::join_workers() before it prints again, so only one thread prints at a
// time and the trace is fixed. The coroutine is resumed on those workers; it
// must be free of data races (ThreadSanitizer) and print the same lines.
//
// Rated reasonable: nothing stops the worker from calling back before
// io::get_from_worker returns, and the rule does not say `completes: later`
// (docs/guide.md).
//
// EXPECT: rewrite reasonable
// SANITIZE: thread
#include "threads.hpp"

using idioms::trace;

void pipeline(int key) {
  io::get_from_worker(key, [key](int a) {
    trace("pipeline", key, "first", a, io::on_main_thread() ? "on main" : "on a worker");
    io::get_from_worker(a, [key, a](int b) {
      trace("pipeline", key, "second", b, "after", a, io::on_main_thread() ? "on main" : "on a worker");
    });
  });
}

int main() {
  pipeline(5);
  io::join_workers();
  trace("main: first pipeline joined");
  pipeline(8);
  io::join_workers();
  trace("main: second pipeline joined");
  trace("== end");
  return 0;
}
