//===- Report.h - What one run found and did --------------------*- C++ -*-===//
//
// Every front end collects the analysis of its translation units into one
// Report: chains deduplicated across translation units (a chain in a header
// is seen once per includer), what was left alone and why, errors, the edits
// accepted and the original text of each file they touch. Verification
// (Driver.h) drops the chains whose rewrite would not compile; outputs only
// print a Report.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_REPORT_H
#define AWAITIFY_REPORT_H

#include "awaitify/Chain.h"
#include "awaitify/Edits.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace awaitify {

/// Part of a chain's rewrite as a reader sees it (`awaitify report`): whole
/// lines of one file, as they are and as the chain's edits make them.
struct RewriteHunk {
  std::string File;
  unsigned Line = 1; ///< the first line of Before, counted from 1
  std::string Before;
  std::string After;
};

/// The hunks of \p Edits, edits of one chain in \p File whose text is
/// \p Original: the lines they touch and \p Context lines around them; edits
/// whose lines come that close share a hunk. Empty when the edits do not
/// apply to \p Original (the file changed since).
std::vector<RewriteHunk>
rewriteHunks(llvm::StringRef File, llvm::StringRef Original,
             llvm::ArrayRef<clang::tooling::Replacement> Edits,
             unsigned Context = 2);

struct ChainReport {
  Chain C;
  /// Empty when the rewrite was kept; otherwise why it was dropped (it did
  /// not compile, or it conflicted with another edit).
  std::string Dropped;
};

struct Report {
  unsigned Files = 0;
  std::vector<ChainReport> Chains;
  std::vector<LeftAlone> Skipped;
  std::vector<std::string> Errors;
  /// What the build needs (AnalysisResult::Notes), each once.
  std::vector<std::string> Notes;
  /// The edits of every chain kept.
  EditSet Edits;
  /// Original text of every file with edits.
  std::map<std::string, std::string> Originals;

  unsigned kept() const;
  /// Adds a translation unit's findings, skipping those already reported.
  void add(const AnalysisResult &R);
  /// Accepts each chain's edits unless they conflict with edits already
  /// taken, and records the original text of the files they touch, read by
  /// \p Read (from disk unless given: an editor's unsaved buffers).
  void acceptEdits(
      llvm::function_ref<std::optional<std::string>(llvm::StringRef)> Read =
          nullptr);
  /// The hunks of \p CR's edits (rewriteHunks), file by file in the order
  /// its edits name them; none for a file whose text was not recorded.
  std::vector<RewriteHunk> preview(const ChainReport &CR) const;
  /// The text of each edited file once \p Set is applied.
  std::map<std::string, std::string> contentsWith(const EditSet &Set) const;
};

} // namespace awaitify

#endif
