// An RAII capture with a visible destructor: a Lease from a one-connection
// Pool, captured by copy (`[lease]`) in the first callback only. In the
// callback version the lease goes back to the pool as soon as the first
// callback has run (the function's own copy died when it returned), so the
// second step can take it again. A coroutine would keep `lease` in its frame
// until the end, and the second step would find the pool busy. Left alone;
// the reason names the capture.
//
// EXPECT: left-alone 'lease'
#include "idioms.hpp"

using idioms::trace;

io::Pool pool;

void refresh(int key) {
  auto lease = pool.take();
  io::get(key, [lease](int rows) {
    trace("refresh: step 1 read", rows, "rows", lease ? "with a lease" : "without a lease");
    io::get(rows, [](int more) {
      auto again = pool.take();
      trace("refresh: step 2 read", more, again ? "with a new lease" : "while the pool is busy");
    });
  });
}

int main() {
  refresh(3);
  idioms::run();
  trace("pool busy at the end:", pool.busy());
  trace("== end");
  return 0;
}
