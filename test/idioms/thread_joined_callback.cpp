// The callback runs on another thread: io::get_on_thread calls it from a
// worker thread and joins the worker before it returns (then prints
// "api: worker joined"). Each step says which thread it runs on. The second
// step is started from the first worker, so it runs on a second worker while
// the first one waits for it. Same lines, same order, no data race.
//
// Rated reasonable: an exception io::get_on_thread let out after its worker
// called back would reach awaitify's unhandled-exception handler instead of
// leaving the function (docs/guide.md).
//
// EXPECT: rewrite reasonable
// SANITIZE: thread
#include "threads.hpp"

using idioms::trace;

const char *where() { return io::on_main_thread() ? "on the main thread" : "on a worker"; }

void compute(int key) {
  io::get_on_thread(key, [key](int a) {
    trace("compute", key, "first", a, where());
    io::get_on_thread(a, [key](int b) { trace("compute", key, "second", b, where()); });
  });
}

int main() {
  trace("main runs", where());
  compute(3);
  trace("main: compute 3 returned");
  compute(12);
  trace("main: compute 12 returned");
  trace("== end");
  return 0;
}
