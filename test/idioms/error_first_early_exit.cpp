// Error-first callbacks with an early exit: `if (ec) { trace(...); return; }`
// at the top of each callback, then the happy path goes on to the next
// step. Flattened, each check becomes an early `co_return` and the code goes
// on straight. Both callbacks name their error `ec`.
//
// EXPECT: rewrite safe
#include <system_error>

#include "idioms.hpp"

using idioms::trace;

void load_profile(int id) {
  io::read(id, [id](std::error_code ec, int version) {
    if (ec) {
      trace("profile", id, "failed:", ec);
      return;
    }
    trace("profile", id, "version", version);
    io::read(version, [id](std::error_code ec, int size) {
      if (ec) {
        trace("profile", id, "size failed:", ec);
        return;
      }
      trace("profile", id, "size", size);
    });
  });
}

int main() {
  load_profile(3);  // both steps succeed
  load_profile(10); // fails at the first step
  load_profile(2);  // fails at the second step (its version, 85, is not found)
  idioms::run();
  trace("== end");
  return 0;
}
