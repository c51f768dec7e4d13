// Callbacks with `auto` parameters: each is read as the one specialization
// its API makes of it, and the values are declared with the types the
// completions pass (`io::User u = co_await ...`).
//
// EXPECT: rewrite safe
#include "idioms.hpp"

using idioms::trace;

namespace {
void greet(int key) {
  io::get(key, [key](auto a) {
    trace("got", key, a);
    io::get_user(a, [key](const auto &u) {
      trace("greet", key, u.name);
    });
  });
}

// A forwarding callback, which find_user instantiates for a const and a
// non-const User: the two do the same (they call the same functions), and
// the value is declared once, as a User.
void find(int id) {
  io::find_user(id, [id](auto &&u) {
    trace("found", id, u.name);
    io::get(u.id, [id](auto v) { trace("found value", id, v); });
  });
}

// A generic callback that hands its value to a member handler: the
// handler is inlined after the await.
class Greeter {
public:
  void start(int key) {
    io::get(key, [this](auto a) { onValue(a); });
  }

private:
  void onValue(int a) {
    io::get_user(a, [a](auto u) { trace("member greet", a, u.name); });
  }
};
} // namespace

int main() {
  greet(3);
  greet(4);
  find(6);
  find(7);
  Greeter g;
  g.start(5);
  idioms::run();
  trace("== end");
  return 0;
}
