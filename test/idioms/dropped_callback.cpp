// A callback dropped without being called: io::lookup destroys the callback
// of a key it does not know. The chain simply stops there, the other chains
// go on, nothing is thrown and nothing leaks (LeakSanitizer checks the
// coroutine frame too). The rewrite must end the coroutine just as quietly.
//
// EXPECT: rewrite safe
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

void resolve(std::string name, int key) {
  io::lookup(key, [name](int a) {
    trace(name, "found", a);
    io::lookup(a, [name](int b) { trace(name, "resolved to", b); });
  });
}

int main() {
  resolve("first", 3);   // both steps succeed
  resolve("second", 10); // dropped at the first step
  resolve("third", 23);  // dropped at the second step (23 -> 90)
  idioms::run();
  trace("== end");
  return 0;
}
