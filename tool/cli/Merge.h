//===- Merge.h - Outputs of shards into one ---------------------*- C++ -*-===//
//
// The pieces of `awaitify merge` (Merge.cpp): the JSON reports of the shards
// read back into Reports (JsonInput.cpp) and merged as one run would have
// found them; SARIF logs merged into one run (SarifMerge.cpp); fixes YAML
// merged into one file (FixesMerge.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_CLI_MERGE_H
#define AWAITIFY_CLI_MERGE_H

#include "Shards.h"
#include "awaitify/Report.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace awaitify::cli {

/// One input of the merge: its name (for messages) and its text.
struct MergeInput {
  std::string Name;
  std::string Text;
};

/// The Report that a `--format=json` document describes. \p AsErrors is set
/// when it reports chains at level error.
llvm::Expected<Report> readJsonReport(const llvm::json::Value &Doc,
                                      bool &AsErrors);

/// The Report one run over the files of all \p Inputs would have made: each
/// chain once; a chain that two shards rewrite differently, or that one
/// shard could not rewrite, is not rewritten; edits that conflict are
/// settled in the order of the chains. Adds to \p Conflicts a line for each
/// chain that a shard rewrote and the merge does not.
Report mergeReports(std::vector<Report> Inputs,
                    std::vector<std::string> &Conflicts);

/// One SARIF log with one run holding the results of every run of \p Logs,
/// each once, in the order of their places.
/// \p Successful is whether every run executed successfully, \p Results
/// the number of results merged.
llvm::Expected<llvm::json::Value>
mergeSarif(const std::vector<std::pair<std::string, llvm::json::Value>> &Logs,
           std::vector<std::string> &Conflicts, bool &Successful,
           size_t &Results);

/// Writes one fixes YAML holding the diagnostics of \p Inputs, each once,
/// and each edit once; returns how many diagnostics. When two inputs
/// disagree (edits that overlap, a chain one rewrites and another does
/// not), adds a line for each to \p Conflicts and writes nothing. The
/// files, below \p Base, give the lines and columns of those lines.
llvm::Expected<size_t> mergeFixes(const std::vector<MergeInput> &Inputs,
                                  const PathBase &Base, llvm::raw_ostream &OS,
                                  std::vector<std::string> &Conflicts);

} // namespace awaitify::cli

#endif
