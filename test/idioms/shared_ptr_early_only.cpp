// A std::shared_ptr captured by the first callback only. The function's own
// pointer dies when it returns and the first callback's copy right after
// that callback has run, so the connection closes before the second step.
// A coroutine would hold `conn` to its end. Left alone; the reason names
// `conn`.
//
// EXPECT: left-alone 'conn'
#include <memory>
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

struct Connection {
  explicit Connection(std::string n) : name(std::move(n)) { trace("connection", name, "opened"); }
  ~Connection() { trace("connection", name, "closed"); }
  void touch(int v) { trace("connection", name, "touched with", v); }
  std::string name;
};

void warm_up(int key) {
  auto conn = std::make_shared<Connection>("cache");
  io::get(key, [conn](int a) {
    conn->touch(a);
    io::get(a, [](int b) { trace("warm_up: second step", b); });
  });
}

int main() {
  warm_up(3);
  idioms::run();
  trace("== end");
  return 0;
}
