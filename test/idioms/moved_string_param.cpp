// A by-value std::string parameter moved into the first callback
// (`[name = std::move(name)]`) and copied into the next. A coroutine keeps
// its own copy of the parameter in the frame; a string has no visible
// lifetime.
//
// EXPECT: rewrite safe
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

void welcome(std::string name, int key) {
  io::get(key, [name = std::move(name)](int seat) {
    trace("welcome", name, "seat", seat);
    io::get(seat, [name](int table) { trace("welcome", name, "table", table); });
  });
}

int main() {
  std::string guest = "ada";
  welcome(guest, 3);
  guest = "changed";
  welcome("grace", 4);
  idioms::run();
  trace("== end", guest);
  return 0;
}
