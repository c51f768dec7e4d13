// A std::shared_ptr captured by every callback to the end of the chain. The
// Connection's destructor prints; since each later callback holds a copy,
// the connection closes right after the last step, which is also where the
// coroutine's frame (holding the parameter) ends. Whatever other owners
// there are, the callbacks' copies let go at the chain's end, as the
// coroutine's variable does: nothing moves.
//
// EXPECT: rewrite safe
#include <memory>
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

struct Connection {
  explicit Connection(std::string n) : name(std::move(n)) { trace("connection", name, "opened"); }
  ~Connection() { trace("connection", name, "closed"); }
  std::string name;
};

void query(std::shared_ptr<Connection> conn, int key) {
  io::get(key, [conn](int a) {
    trace(conn->name, "step 1", a);
    io::get(a, [conn](int b) { trace(conn->name, "step 2", b); });
  });
}

int main() {
  query(std::make_shared<Connection>("db1"), 3);
  query(std::make_shared<Connection>("db2"), 4);
  idioms::run();
  trace("== end");
  return 0;
}
