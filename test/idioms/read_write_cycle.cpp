// An echo session: do_read reads a line, do_write writes it back and calls
// do_read again, until the stream ends. The handlers call each other in a
// cycle (do_read -> do_write -> do_read), which becomes a loop. The session
// is owned by main; its stream's end is reported as an error code.
//
// EXPECT: rewrite safe
#include <cstddef>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "idioms.hpp"

using idioms::trace;

class Echo {
public:
  explicit Echo(io::Stream &stream) : stream_(stream) {}

  void start() { do_read(); }

private:
  void do_read() {
    stream_.read_line([this](std::error_code ec, std::string line) {
      if (ec) {
        trace("echo: stopped:", ec, "after", lines_, "lines");
        return;
      }
      do_write(std::move(line));
    });
  }

  void do_write(std::string line) {
    stream_.write("echo " + line, [this](std::error_code ec, std::size_t n) {
      if (ec) {
        trace("echo: write failed:", ec);
        return;
      }
      ++lines_;
      trace("echo: wrote", n, "bytes");
      do_read();
    });
  }

  io::Stream &stream_;
  int lines_ = 0;
};

int main() {
  io::Stream stream({"hello", "there", "bye"});
  Echo echo(stream);
  echo.start();
  idioms::run();
  trace("== end");
  return 0;
}
