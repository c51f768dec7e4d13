// A write queue. write() posts a job that queues the line and, when no write
// is in progress, calls do_write(); do_write() sends the front line and, in
// its callback, sends the next one until the queue is empty (a cycle,
// do_write -> do_write). main queues three lines and posts close() among
// them. io::send prints when a send starts, so the trace shows that the
// first send starts inside do_write(), before close() runs. A rewrite whose
// first operation started later (posted, or lazily) would move that line;
// in the generic world do_write() must start the send inside the call.
//
// EXPECT: rewrite safe
#include <cstddef>
#include <deque>
#include <string>

#include "idioms.hpp"

using idioms::trace;

class Writer {
public:
  void write(std::string line) {
    idioms::post([this, line] {
      queue_.push_back(line);
      if (!writing_)
        do_write();
    });
  }

  void close() {
    trace("writer: close requested,", queue_.size(), "queued, writing:", writing_);
    closing_ = true;
    if (!writing_)
      trace("writer: closed");
  }

private:
  void do_write() {
    writing_ = true;
    io::send(queue_.front(), [this](std::size_t n) {
      trace("writer: sent", n, "bytes");
      queue_.pop_front();
      if (!queue_.empty()) {
        do_write();
        return;
      }
      writing_ = false;
      if (closing_)
        trace("writer: closed");
    });
  }

  std::deque<std::string> queue_;
  bool writing_ = false;
  bool closing_ = false;
};

int main() {
  Writer writer;
  writer.write("first line");
  writer.write("second");
  idioms::post([&writer] { writer.close(); });
  writer.write("third");
  idioms::run();
  trace("== end");
  return 0;
}
