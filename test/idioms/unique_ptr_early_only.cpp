// A move-only capture used by the first callback only: `[p = std::move(...)]`
// holds a Scratch area whose destructor prints. It is freed as soon as the
// first callback has run (the callback object dies), before the second step.
// A coroutine would keep it until its end, after the second step. Left
// alone; the reason names the capture `p`.
//
// EXPECT: left-alone 'p'
#include <memory>
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

struct Scratch {
  explicit Scratch(std::string n) : name(std::move(n)) { trace("scratch", name, "allocated"); }
  ~Scratch() { trace("scratch", name, "freed"); }
  std::string name;
  int used = 0;
};

void stage(std::unique_ptr<Scratch> scratch, int key) {
  io::get_any(key, [p = std::move(scratch)](int a) {
    p->used += a;
    trace("stage:", p->name, "used", p->used);
    io::get(a, [](int b) { trace("stage: next step got", b); });
  });
}

int main() {
  stage(std::make_unique<Scratch>("s1"), 3);
  idioms::run();
  trace("== end");
  return 0;
}
