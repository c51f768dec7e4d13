// Branches that each end in a call: an if/else whose arms start different
// next steps (with different callback shapes). Each arm is flattened on its
// own and the branch stays a branch.
//
// EXPECT: rewrite safe
#include <string>
#include <system_error>

#include "idioms.hpp"

using idioms::trace;

void route(int key) {
  io::get(key, [key](int a) {
    if (a % 2 == 0) {
      trace("route", key, "even", a);
      io::get_pair(a, [key](int n, std::string word) { trace("route", key, "pair", n, word); });
    } else {
      trace("route", key, "odd", a);
      io::read(a, [key](std::error_code ec, int v) { trace("route", key, "read", ec, v); });
    }
  });
}

int main() {
  route(3);
  route(4);
  route(2);
  idioms::run();
  trace("== end");
  return 0;
}
