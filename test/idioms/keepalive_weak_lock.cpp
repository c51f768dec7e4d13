// A weak reference locked at the top of each handler:
// `if (auto self = weak.lock()) { ... }`. The callbacks do not own the
// Watcher; main does, and main lets one of them go while its lookups are
// still in flight. The locked `self` only lives while a handler runs, so the
// dropped watcher dies at once (its destructor prints) and its next handler
// finds it gone. The other watcher lives to the end.
//
// A rewrite must keep that: the object must not be kept alive across a
// suspension by the locked pointer of an earlier step. Flattened, the first
// `self` would live across the second lookup, so the chain is left alone.
//
// EXPECT: left-alone 'self' (shared_ptr<Watcher>) died when the callback
#include <memory>
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

class Watcher : public std::enable_shared_from_this<Watcher> {
public:
  Watcher(std::string name, int key) : name_(std::move(name)), key_(key) {}
  ~Watcher() { trace(name_, "destroyed"); }

  void watch() {
    std::weak_ptr<Watcher> weak = weak_from_this();
    io::get(key_, [weak](int first) {
      if (auto self = weak.lock()) {
        self->note("first", first);
        io::get(first, [weak](int second) {
          if (auto self = weak.lock()) {
            self->note("second", second);
          } else {
            trace("a watcher was gone before its second value", second);
          }
        });
      } else {
        trace("a watcher was gone before its first value", first);
      }
    });
  }

private:
  void note(const char *what, int value) { trace(name_, what, value); }

  std::string name_;
  int key_;
};

std::shared_ptr<Watcher> kept = std::make_shared<Watcher>("kept", 3);
std::shared_ptr<Watcher> dropped = std::make_shared<Watcher>("dropped", 6);

int main() {
  kept->watch();
  dropped->watch();
  // After both first values have arrived, main lets one watcher go.
  io::tick([] {
    trace("main: dropping one watcher");
    dropped.reset();
  });
  idioms::run();
  trace("main: releasing the other");
  kept.reset();
  trace("== end");
  return 0;
}
