// An exception thrown before the first step (argument checking at the top
// of the function) goes to the caller, whose try/catch prints it; the other
// calls start their chains normally. After the rewrite the function is a
// coroutine, and the exception must still come out of the call, into the
// same catch.
//
// EXPECT: rewrite safe
#include <exception>
#include <stdexcept>
#include <string>

#include "idioms.hpp"

using idioms::trace;

void load(int key) {
  trace("load", key);
  if (key < 0)
    throw std::invalid_argument("load: negative key " + std::to_string(key));
  io::get(key, [key](int first) {
    trace("load", key, "step 1", first);
    io::get(first, [key](int second) { trace("load", key, "done", second); });
  });
}

int main() {
  for (int key : {3, -1, 4}) {
    try {
      load(key);
      trace("main: load", key, "started");
    } catch (const std::exception &e) {
      trace("caught:", e.what());
    }
  }
  idioms::run();
  trace("== end");
  return 0;
}
