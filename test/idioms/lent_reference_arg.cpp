// A local lent by reference to an API that calls back before it returns:
// io::describe(const std::string &name, cb). In the callback code the name
// lived until the function that lent it returned, after the API's call; in
// the coroutine it lives until the chain ends, which here is inside the
// innermost call. Fine as long as the API does not read the name after
// calling back (io::describe does not), and that is the assumption the
// rewrite names: rated reasonable, not safe.
//
// EXPECT: rewrite reasonable
#include <string>

#include "idioms.hpp"

using idioms::trace;

void label(int id) {
  std::string name = "customer-record-" + std::to_string(id) + "-with-a-long-name";
  io::describe(name, [id](int length) {
    std::string upper = "RECORD-" + std::to_string(length * id) + "-IN-CAPITALS-AND-LONG";
    io::describe(upper, [id, length](int second) {
      trace("label", id, "lengths", length, second);
    });
  });
}

int main() {
  label(3);
  trace("main: label returned");
  label(12);
  trace("main: label returned");
  trace("== end");
  return 0;
}
