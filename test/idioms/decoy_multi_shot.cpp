// A decoy at the end of a chain: io::get_twice calls its callback twice and
// is not a completion API (the rule file does not list it). The two io::get
// steps before it are a chain; the get_twice call must stay a plain call
// with its callback, which still runs twice.
//
// EXPECT: rewrite safe
#include "idioms.hpp"

using idioms::trace;

void subscribe_after_lookup(int key) {
  io::get(key, [key](int a) {
    io::get(a, [key](int b) {
      trace("lookup", key, "gave", b, "- subscribing");
      io::get_twice(b, [key](int update) { trace("update for", key, ":", update); });
    });
  });
}

int main() {
  subscribe_after_lookup(3);
  idioms::run();
  trace("== end");
  return 0;
}
