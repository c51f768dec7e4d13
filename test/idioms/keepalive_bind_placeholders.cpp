// Keep-alive through std::bind with placeholders, error-first: the handlers
// are `std::bind(&Reader::on_header, shared_from_this(), _1, _2)` and, for
// the second step, a bind that also carries a value
// (`std::bind(&Reader::on_body, shared_from_this(), size, _1, _2)`). Only the
// bound pointers own the reader; its destructor prints, so the trace shows
// each reader dying right after its last handler (also after an error).
//
// EXPECT: rewrite reasonable
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "idioms.hpp"

using idioms::trace;
using namespace std::placeholders;

class Reader : public std::enable_shared_from_this<Reader> {
public:
  Reader(std::string name, int key) : name_(std::move(name)), key_(key) {}
  ~Reader() { trace(name_, "destroyed"); }

  void start() {
    io::read(key_, std::bind(&Reader::on_header, shared_from_this(), _1, _2));
  }

private:
  void on_header(std::error_code ec, int size) {
    if (ec) {
      trace(name_, "header failed:", ec);
      return;
    }
    trace(name_, "header says", size);
    io::read(size, std::bind(&Reader::on_body, shared_from_this(), size, _1, _2));
  }

  void on_body(int size, std::error_code ec, int body) {
    if (ec) {
      trace(name_, "body of", size, "failed:", ec);
      return;
    }
    trace(name_, "body of", size, "is", body);
  }

  std::string name_;
  int key_;
};

int main() {
  std::make_shared<Reader>("r1", 2)->start();
  std::make_shared<Reader>("r2", 10)->start();
  std::make_shared<Reader>("r3", 7)->start();
  idioms::run();
  trace("== end");
  return 0;
}
