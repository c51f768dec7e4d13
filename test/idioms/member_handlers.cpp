// Named member-function handlers instead of nested lambdas: each callback is
// a one-line lambda `[this](...) { on_next(...); }` that hands over to the
// next member function. The chain runs across three functions of the class;
// the Importer is owned by main and outlives it.
//
// EXPECT: rewrite safe
#include <string>

#include "idioms.hpp"

using idioms::trace;

class Importer {
public:
  void start(int key) {
    trace("import: start", key);
    io::get(key, [this](int id) { on_id(id); });
  }

  int imported() const { return imported_; }

private:
  void on_id(int id) {
    trace("import: id", id);
    io::get_pair(id, [this](int count, std::string word) { on_batch(count, word); });
  }

  void on_batch(int count, std::string word) {
    imported_ += count;
    trace("import: batch of", count, word, "- imported so far", imported_);
  }

  int imported_ = 0;
};

int main() {
  Importer importer;
  importer.start(3);
  importer.start(4);
  idioms::run();
  trace("== end", importer.imported());
  return 0;
}
