// Every callback calls its value `value`, and the second and third shadow
// the first. Flattened into one scope the names would collide, so the
// rewrite has to rename (and keep each use pointing at the right value).
//
// EXPECT: rewrite safe
#include "idioms.hpp"

using idioms::trace;

void hops(int key) {
  io::get(key, [key](int value) {
    trace("hops", key, "one", value);
    io::get(value, [key](int value) {
      trace("hops", key, "two", value);
      io::get(value + 1, [key](int value) { trace("hops", key, "three", value); });
    });
  });
}

int main() {
  hops(3);
  hops(6);
  idioms::run();
  trace("== end");
  return 0;
}
