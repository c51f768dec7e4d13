// A two-callback API, `io::fetch(key, on_ok, on_error)`, which the rule file
// names by mistake. Only one of the two callbacks runs, so a single
// `co_await` cannot stand for the call: the tool must refuse it because of
// the second callable argument, however the rule file reads.
//
// EXPECT: left-alone callable
#include <system_error>

#include "idioms.hpp"

using idioms::trace;

void load(int key) {
  io::fetch(
      key,
      [key](int a) {
        trace("load", key, "got", a);
        io::fetch(
            a, [key](int b) { trace("load", key, "then", b); },
            [key](std::error_code ec) { trace("load", key, "inner failed:", ec); });
      },
      [key](std::error_code ec) { trace("load", key, "failed:", ec); });
}

int main() {
  load(3);
  load(10);
  load(26);
  idioms::run();
  trace("== end");
  return 0;
}
