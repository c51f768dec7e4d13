// Comments where a rewrite has to move code around: a comment inside each
// callback's parameter list (`/* rows */`, `/* pages */`) and trailing
// comments on the lines that become straight-line code. Every comment must
// still be in the rewritten file. The inner callback captures `[&]`, which
// only reaches `totals`, a reference to an object that outlives the chain.
//
// EXPECT: rewrite safe
#include "idioms.hpp"

using idioms::trace;

struct Totals {
  int rows = 0;
  int pages = 0;
};

void tally(Totals &totals, int table) {
  io::get(table, [&totals, table](/* rows */ int n) { // rows come first
    totals.rows += n;                                 // a running count
    trace("tally: table", table, "rows", n);
    io::get(n, [&](/* pages */ int pages) { // then the pages
      totals.pages += pages;
      trace("tally: pages", pages, "totals", totals.rows, totals.pages);
    });
  });
}

int main() {
  Totals totals;
  tally(totals, 3);
  tally(totals, 4);
  idioms::run();
  trace("== end", totals.rows, totals.pages);
  return 0;
}
