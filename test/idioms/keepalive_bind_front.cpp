// Keep-alive through bound member handlers: each step passes
// `std::bind_front(&Session::on_x, shared_from_this())` as the callback, the
// way Beast's `bind_front_handler` is used. The bound pointer owns the
// session while the lookup is in flight; once main has started it nobody
// else does. The destructor prints: each session must die right after its
// last handler, while the other one is still busy.
//
// EXPECT: rewrite reasonable
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

class Session : public std::enable_shared_from_this<Session> {
public:
  Session(std::string name, int key) : name_(std::move(name)), key_(key) {}
  ~Session() { trace(name_, "destroyed"); }

  void start() {
    trace(name_, "start");
    io::get(key_, std::bind_front(&Session::on_lookup, shared_from_this()));
  }

private:
  void on_lookup(int id) {
    trace(name_, "looked up", id);
    io::get_user(id, std::bind_front(&Session::on_user, shared_from_this()));
  }

  void on_user(io::User user) {
    trace(name_, "greets", user.name);
  }

  std::string name_;
  int key_;
};

int main() {
  std::make_shared<Session>("s1", 3)->start();
  std::make_shared<Session>("s2", 6)->start();
  idioms::run();
  trace("== end");
  return 0;
}
