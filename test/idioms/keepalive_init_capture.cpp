// Keep-alive through an init-capture: `[self = shared_from_this()]` in the
// first callback, passed on as `[self]` to the next one. Nobody else owns
// the Upload once main has started it, so the captures are what keep it
// alive; its destructor prints, and it must die right after the last step,
// before the other upload finishes.
//
// EXPECT: rewrite reasonable
#include <memory>
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

class Upload : public std::enable_shared_from_this<Upload> {
public:
  Upload(std::string name, int key) : name_(std::move(name)), key_(key) {}
  ~Upload() { trace(name_, "destroyed, sent", sent_); }

  void run() {
    io::get(key_, [self = shared_from_this()](int chunk) {
      self->send(chunk);
      io::get(chunk, [self](int more) {
        self->send(more);
        trace(self->name_, "finished");
      });
    });
  }

private:
  void send(int n) {
    sent_ += n;
    trace(name_, "sent", n);
  }

  std::string name_;
  int key_;
  int sent_ = 0;
};

int main() {
  std::make_shared<Upload>("photo", 3)->run();
  std::make_shared<Upload>("video", 8)->run();
  idioms::run();
  trace("== end");
  return 0;
}
