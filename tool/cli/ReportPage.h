//===- ReportPage.h - `awaitify report` -------------------------*- C++ -*-===//
//
//   awaitify report [options of check] [files...] [-o DIR] [-- <compiler args>]
//   awaitify report --from FILE.json... [-o DIR]
//
// A static HTML migration report (docs/report.md): counts by folder, why
// code was left alone, a table of findings to filter as you type, and each
// chain's rewrite side by side. The first form runs `awaitify check
// --format=json` with the same options and reads its output; the second
// reads such output (one run, the shards of one, or their merged output).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_CLI_REPORTPAGE_H
#define AWAITIFY_CLI_REPORTPAGE_H

#include "ReportModel.h"
#include "llvm/Support/Error.h"

namespace awaitify::cli {

/// Writes the report of \p M into the folder \p Dir, made when missing:
/// index.html (the findings, and the data the page needs as JSON),
/// report.js and report.css. Nothing in it loads anything from elsewhere.
llvm::Error writeReportPage(llvm::StringRef Dir, const ReportModel &M);

/// The command, from its verb on (argv[1] is "report"); its exit status:
/// 0 when the report was written, 2 on an error (a file that did not parse
/// is an error that the report shows: it is written, and the status is 2).
int reportMain(int argc, const char **argv);

} // namespace awaitify::cli

#endif
