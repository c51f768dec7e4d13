// A chain inside a function template: the callee depends on the template
// parameter (`source.get(...)` with `Source` unknown until instantiation).
// The tool only sees the chain through an instantiation; rewriting the
// template for one instantiation could break the others. Left alone; the
// reason mentions the template.
//
// EXPECT: left-alone template
#include <string>

#include "idioms.hpp"

using idioms::trace;

template <class Source> void mirror(Source &source, int key) {
  source.get(key, [&source, key](std::string first) {
    trace("mirror", key, "first", first);
    source.get(key + 1, [key](std::string second) { trace("mirror", key, "second", second); });
  });
}

int main() {
  io::Store store("primary");
  mirror(store, 1);
  idioms::run();
  trace("== end");
  return 0;
}
