// Recursive retry with a counter: on an error the callback calls the
// function again with one attempt fewer, and gives up at zero.
// io::read_flaky fails the first two times it is asked for a key. The
// function calls itself from its own callback, so the chain is a loop; the
// counter and the key are plain copies.
//
// EXPECT: rewrite safe
#include <system_error>

#include "idioms.hpp"

using idioms::trace;

void fetch_with_retry(int key, int attempts_left) {
  io::read_flaky(key, [key, attempts_left](std::error_code ec, int value) {
    if (ec) {
      if (attempts_left == 0) {
        trace("fetch", key, "giving up:", ec);
        return;
      }
      trace("fetch", key, "failed:", ec, "- retries left:", attempts_left);
      fetch_with_retry(key, attempts_left - 1);
      return;
    }
    trace("fetch", key, "got", value);
  });
}

int main() {
  fetch_with_retry(4, 3); // succeeds on the third attempt
  fetch_with_retry(6, 1); // gives up after the second
  idioms::run();
  trace("== end");
  return 0;
}
