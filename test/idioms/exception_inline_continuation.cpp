// An exception thrown inside a continuation that runs INLINE, inside the
// API's call. It propagates back through both io::get_now calls (each prints
// "api: callback threw" on the way and rethrows) to the caller's try/catch.
// A call that does not throw shows the API's "api: after callback" lines.
// The coroutine would go on inside the first call too, but once it has, the
// call can no longer throw: the exception would reach awaitify's
// unhandled-exception handler (docs/runtime.md). The written `throw` makes
// the chain risky: left alone, naming the line.
//
// EXPECT: left-alone line 24
#include <exception>
#include <stdexcept>
#include <string>

#include "idioms.hpp"

using idioms::trace;

void validate(int key) {
  io::get_now(key, [key](int first) {
    trace("validate", key, "first", first);
    io::get_now(first, [key](int second) {
      if (second > 50)
        throw std::out_of_range("validate " + std::to_string(key) + ": " +
                                std::to_string(second) + " is too big");
      trace("validate", key, "ok", second);
    });
  });
}

int main() {
  for (int key : {4, 1, 9}) {
    try {
      validate(key);
      trace("main: validate", key, "returned");
    } catch (const std::exception &e) {
      trace("caught:", e.what());
    }
  }
  trace("== end");
  return 0;
}
