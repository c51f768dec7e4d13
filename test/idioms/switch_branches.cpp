// A switch whose cases each end in a call or in nothing (break). Nothing
// follows the switch, so every call is in tail position; the cases are
// flattened and the switch stays.
//
// EXPECT: rewrite safe
#include <string>

#include "idioms.hpp"

using idioms::trace;

void describe(int key) {
  io::get(key, [key](int a) {
    switch (a % 3) {
    case 0:
      io::get_user(a, [key](io::User u) { trace("describe", key, "user", u.name); });
      break;
    case 1:
      io::get_pair(a, [key](int n, std::string word) { trace("describe", key, "pair", n, word); });
      break;
    default:
      trace("describe", key, "nothing to look up for", a);
      break;
    }
  });
}

int main() {
  describe(3);
  describe(4);
  describe(7);
  idioms::run();
  trace("== end");
  return 0;
}
