// A handler called from two arms of one callback, and from nowhere else:
// the calls assign its parameters, and its code follows the branch once.
// The early `return report(...)` makes what follows it the else-arm; an
// early `return close();` alone in its arm, with nothing to assign, makes
// its if a negated one around what follows it.
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
class Closer {
public:
  void start(int key) {
    io::get(key, [this, key](int a) {
      if (a % 2 == 0)
        return close();
      trace("closer", key, "got", a);
      close();
    });
  }

private:
  void close() {
    io::get_user(7, [](io::User u) { trace("closed for", u.name); });
  }
};
} // namespace

int main() {
  Reporter r;
  r.start(2);
  r.start(3);
  Closer c;
  c.start(4);
  c.start(5);
  idioms::run();
  trace("== end");
  return 0;
}
