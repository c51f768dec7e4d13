// A macro in a continuation whose expansion contains `return`
// (`RETURN_IF(cond)` expands to `if (cond) return`). In a coroutine that
// `return` would have to become `co_return`, which cannot be done without
// changing the macro for all its users, so the chain is left alone, and the
// reason names the macro.
//
// EXPECT: left-alone RETURN_IF
#include <string>
#include <system_error>

#include "idioms.hpp"

using idioms::trace;

#define RETURN_IF(cond) if (cond) return

void sync_user(int id) {
  io::get_user(id, [id](io::User user) {
    RETURN_IF(user.name.empty());
    trace("sync: user", user.name);
    io::read(id, [name = user.name](std::error_code ec, int version) {
      RETURN_IF(ec);
      trace("sync:", name, "at version", version);
    });
  });
}

int main() {
  sync_user(3);
  sync_user(5);
  idioms::run();
  trace("== end");
  return 0;
}
