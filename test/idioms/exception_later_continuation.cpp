// An exception thrown inside a continuation that completes later, from the
// event loop. It leaves the completion call and reaches the loop, which
// prints "loop caught: ..." and goes on with the next job: the other chain
// still finishes. The rewritten coroutine must send it to the same place.
// A continuation that throws stays safe: its exception leaves the call of
// its callback, however the API calls it (docs/runtime.md).
//
// EXPECT: rewrite safe
#include <stdexcept>
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

void check_parity(std::string name, int key) {
  io::get(key, [name](int first) {
    trace(name, "step 1", first);
    io::get(first, [name](int second) {
      if (second % 2 == 1)
        throw std::runtime_error(name + ": odd value " + std::to_string(second));
      trace(name, "even value", second);
    });
  });
}

int main() {
  check_parity("a", 3);
  check_parity("b", 2);
  check_parity("c", 8);
  idioms::run();
  trace("== end");
  return 0;
}
