// `[=]` in a member function: the callbacks use members (`total_`,
// `name_`), which `[=]` reaches through an implicitly captured `this`, and
// a parameter copied by value. The object outlives the chain (main owns
// it), and a coroutine member function reaches the members through the same
// `this`. (C++20 deprecates the implicit `this` capture, and clang says so:
// this is code written for C++17. The rewritten file has no lambda left.)
//
// EXPECT: rewrite safe
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

class Counter {
public:
  explicit Counter(std::string name) : name_(std::move(name)) {}

  void add_two(int first_key, int second_key) {
    io::get(first_key, [=](int a) {
      total_ += a;
      trace(name_, "after first", total_);
      io::get(second_key, [=](int b) {
        total_ += b;
        trace(name_, "after second", total_);
      });
    });
  }

  int total() const { return total_; }

private:
  std::string name_;
  int total_ = 0;
};

int main() {
  Counter counter("counter");
  counter.add_two(1, 2);
  counter.add_two(3, 4);
  idioms::run();
  trace("== end", counter.total());
  return 0;
}
