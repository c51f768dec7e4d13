// `[*this]`: each callback holds its own copy of the Report, taken when the
// call was made. main changes the report after publishing it, and the
// callbacks still print the values of the copy. A coroutine member function
// would read the live object instead (and the copy's lifetime would be
// gone), so this is left alone and the reason names `*this`.
//
// EXPECT: left-alone *this
#include <string>
#include <utility>

#include "idioms.hpp"

using idioms::trace;

struct Report {
  std::string title;
  int version;

  void publish() {
    io::get(version, [*this](int pages) {
      trace("publishing", title, "version", version, "pages", pages);
      io::get(pages, [*this](int copies) {
        trace("published", title, "version", version, "copies", copies);
      });
    });
  }
};

int main() {
  Report report{"weekly", 1};
  report.publish();
  report.title = "renamed";
  report.version = 2;
  idioms::run();
  trace("report is now", report.title, report.version);
  trace("== end");
  return 0;
}
