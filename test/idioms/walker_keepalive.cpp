// Keep-alive across a loop of lookups. A Walker visits its user ids one at a
// time: each step takes `self = shared_from_this()` and captures
// [this, self, i], so the walker stays alive while a lookup is in flight,
// although main threw its own pointer away at once
// (`std::make_shared<Walker>(...)->start()`). The destructor prints, so the
// moment each walker dies is in the trace: right after its last step, while
// the other walker is still going.
//
// The step function calls itself from its callback, so the chain is a loop.
// As a coroutine the frame must own the walker for every iteration and let
// it go at the end, exactly where the last callback let it go.
//
// EXPECT: rewrite reasonable
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "idioms.hpp"

using idioms::trace;

class Walker : public std::enable_shared_from_this<Walker> {
public:
  Walker(std::string name, std::vector<int> ids)
      : name_(std::move(name)), ids_(std::move(ids)) {
    trace(name_, "created");
  }
  ~Walker() { trace(name_, "destroyed after", seen_, "users"); }

  void start() { step(0); }

private:
  void step(std::size_t i) {
    if (i == ids_.size()) {
      trace(name_, "done");
      return;
    }
    auto self = shared_from_this();
    io::get_user(ids_[i], [this, self, i](io::User u) {
      ++seen_;
      trace(name_, "step", i, "met", u.name);
      step(i + 1);
    });
  }

  std::string name_;
  std::vector<int> ids_;
  int seen_ = 0;
};

int main() {
  std::make_shared<Walker>("short", std::vector<int>{4, 9})->start();
  std::make_shared<Walker>("long", std::vector<int>{2, 7, 5, 1})->start();
  trace("main: both walkers started");
  idioms::run();
  trace("== end");
  return 0;
}
