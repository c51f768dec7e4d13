// A callback with two values, `(int count, std::string word)`: the awaited
// result is a pair of values, bound to two names (structured binding), and
// both are used by the next step.
//
// EXPECT: rewrite safe
#include <string>

#include "idioms.hpp"

using idioms::trace;

void label(int key) {
  io::get_pair(key, [key](int count, std::string word) {
    trace("label", key, "count", count, "word", word);
    io::get(count, [key, word](int score) { trace("label", key, word, "scores", score); });
  });
}

int main() {
  label(3);
  label(5);
  idioms::run();
  trace("== end");
  return 0;
}
