// A move-only capture carried to the end: `[buf = std::move(buf)]` moves a
// std::unique_ptr from callback to callback, and the last step uses it. The
// Buffer's destructor prints; it runs right after the last step, when the
// last callback is destroyed, which is where the coroutine's frame ends too.
// io::get_any takes any callable (std::function cannot hold a move-only one).
//
// EXPECT: rewrite reasonable
#include <memory>
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

struct Buffer {
  explicit Buffer(std::string n) : name(std::move(n)) { trace("buffer", name, "allocated"); }
  ~Buffer() { trace("buffer", name, "freed"); }
  std::string name;
  int bytes = 0;
};

void upload(std::unique_ptr<Buffer> buf, int key) {
  io::get_any(key, [buf = std::move(buf)](int header) mutable {
    buf->bytes += header;
    trace("upload:", buf->name, "header", header);
    io::get_any(header, [buf = std::move(buf)](int body) {
      buf->bytes += body;
      trace("upload:", buf->name, "body", body, "total", buf->bytes);
    });
  });
}

int main() {
  upload(std::make_unique<Buffer>("b1"), 3);
  upload(std::make_unique<Buffer>("b2"), 4);
  trace("main: uploads started");
  idioms::run();
  trace("== end");
  return 0;
}
