// A handler called from two arms of one callback, and from nowhere else:
// the calls assign its parameters, and its code follows the branch once.
// The early `return report(...)` makes what follows it the else-arm.
//
// EXPECT: rewrite safe
#include <string>

#include "idioms.hpp"

using idioms::trace;

namespace {
class Reporter {
public:
  void start(int key) {
    io::get(key, [this, key](int a) {
      if (a % 2 == 0)
        return report(key, "even");
      trace("start", key, "odd value", a);
      report(key + 1, "odd");
    });
  }

private:
  void report(int key, std::string kind) {
    io::get_user(key, [key, kind](io::User u) {
      trace("report", key, kind, u.name);
    });
  }
};
} // namespace

int main() {
  Reporter r;
  r.start(2);
  r.start(3);
  idioms::run();
  trace("== end");
  return 0;
}
