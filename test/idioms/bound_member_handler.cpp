// Handlers bound with std::bind to a raw `this` and an extra value:
// `std::bind(&Parser::on_chunk, this, index, _1)`. The bound index is a plain
// copy and the Parser is owned by main, so nothing about lifetimes changes.
//
// EXPECT: rewrite safe
#include <functional>

#include "idioms.hpp"

using idioms::trace;
using namespace std::placeholders;

class Parser {
public:
  void start(int key) { io::get(key, std::bind(&Parser::on_header, this, key, _1)); }

  int parsed() const { return parsed_; }

private:
  void on_header(int key, int chunks) {
    trace("parser: key", key, "has", chunks, "chunks");
    io::get(chunks, std::bind(&Parser::on_chunk, this, key, chunks, _1));
  }

  void on_chunk(int key, int chunks, int value) {
    parsed_ += value;
    trace("parser: key", key, "chunk count", chunks, "first chunk", value);
  }

  int parsed_ = 0;
};

int main() {
  Parser parser;
  parser.start(3);
  parser.start(6);
  idioms::run();
  trace("== end", parser.parsed());
  return 0;
}
