// The API itself throws before calling back (io::get_checked rejects a
// negative key). At the first step the exception goes to the caller's
// try/catch. At the second step it is thrown inside a continuation that the
// event loop invoked, so it goes to the loop, which prints
// "loop caught: ..." and carries on. Both must stay where they are.
//
// EXPECT: rewrite safe
#include <exception>

#include "idioms.hpp"

using idioms::trace;

void pair_up(int first, int second) {
  io::get_checked(first, [second](int a) {
    trace("pair_up: first gave", a);
    io::get_checked(second, [a](int b) { trace("pair_up: second gave", b, "sum", a + b); });
  });
}

int main() {
  const int calls[][2] = {{2, 3}, {-4, 3}, {6, -7}, {1, 8}};
  for (const auto &c : calls) {
    try {
      pair_up(c[0], c[1]);
    } catch (const std::exception &e) {
      trace("caught:", e.what());
    }
  }
  idioms::run();
  trace("== end");
  return 0;
}
