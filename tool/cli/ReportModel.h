//===- ReportModel.h - What `awaitify report` shows -------------*- C++ -*-===//
//
// `awaitify report` (docs/report.md) reads one or more documents of
// `awaitify check --format=json` (a whole run, shards of one, or their
// merged output) into a ReportModel, and writes it as a static page
// (ReportPage.h). The counts it shows are computed here, from the findings,
// so the page and the JSON it was made from always agree.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_CLI_REPORTMODEL_H
#define AWAITIFY_CLI_REPORTMODEL_H

#include "awaitify/Report.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <map>
#include <string>
#include <vector>

namespace awaitify::cli {

/// A chain found (rewritten, or not), or a place left alone.
struct Finding {
  enum Kind { Converted, NotConverted, LeftAlone };
  Kind K = LeftAlone;
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  std::string Function;
  /// Chains: safe, reasonable or risky.
  std::string Confidence;
  unsigned Depth = 0;
  /// A chain's message, or why the place was left alone.
  std::string Text;
  /// Why a chain found was not rewritten (NotConverted).
  std::string Dropped;
  /// The rewrite, before and after (chains).
  std::vector<RewriteHunk> Hunks;
  /// Why there are no hunks for a chain, when there are none.
  std::string NoPreview;

  /// The folder of File ("." for a file in the working directory).
  std::string directory() const;
  /// The reason, with the names in it taken out (reasonKind), for the
  /// findings not converted or left alone; "" for those converted.
  std::string reason() const;
};

llvm::StringRef kindName(Finding::Kind K);

/// \p Reason without what is particular to one place: the first clause
/// (up to ": ", "; " or " ("), with each quoted name other than a
/// confidence and each number shown as "…" and "N". "the call of
/// 'db::get' is not in tail position: code after it ..." becomes "the call
/// of '…' is not in tail position".
std::string reasonKind(llvm::StringRef Reason);

/// The counts of one folder (or, for the total, of all).
struct FolderCounts {
  std::string Folder;
  unsigned Chains = 0;
  unsigned Converted = 0;
  unsigned NotConverted = 0;
  unsigned LeftAlone = 0;
  unsigned Safe = 0;
  unsigned Reasonable = 0;
  unsigned Risky = 0;
  void add(const Finding &F);
};

/// How often one reason (reasonKind) kept code as it is.
struct ReasonCount {
  Finding::Kind K = Finding::LeftAlone;
  std::string Reason;
  unsigned Count = 0;
  std::map<std::string, unsigned> Folders;
};

struct ReportModel {
  /// Translation units analysed, over all inputs.
  unsigned Files = 0;
  /// The JSON documents it was read from.
  unsigned Inputs = 0;
  std::string ToolVersion;
  std::vector<Finding> Findings;
  std::vector<std::string> Errors;
  std::vector<std::string> Notes;

  /// One row per folder, by name, then the total (Folder "").
  std::vector<FolderCounts> folders() const;
  /// The reasons, most frequent first.
  std::vector<ReasonCount> reasons() const;
};

/// Reads the documents (each printed by `awaitify check --format=json`,
/// named \p Names in errors) into one model. A chain or place seen in
/// several documents (a header analysed by several shards) is kept once;
/// it is converted only when every document converts it, the same way. A
/// chain whose document carries no preview gets its hunks from the file on
/// disk, read relative to the working directory, when its edits still apply
/// to it.
llvm::Expected<ReportModel> readReport(llvm::ArrayRef<llvm::json::Value> Docs,
                                       llvm::ArrayRef<std::string> Names);

} // namespace awaitify::cli

#endif
