//===- Report.h - What one run of the CLI found and did ---------*- C++ -*-===//
//
// The CLI collects every translation unit's analysis into one Report: chains
// deduplicated across translation units (a chain in a header is seen once per
// includer), what was left alone and why, errors, and the edits accepted.
// Output formats (text, JSON, SARIF) only print a Report.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_CLI_REPORT_H
#define AWAITIFY_CLI_REPORT_H

#include "awaitify/Chain.h"
#include "awaitify/Edits.h"
#include <string>
#include <vector>

namespace awaitify::cli {

inline constexpr llvm::StringLiteral CheckName = "awaitify-callback-chain";

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
  EditSet Edits;
  /// Original text of every file with edits.
  std::map<std::string, std::string> Originals;

  unsigned kept() const;
  /// Adds a translation unit's findings, skipping those already reported.
  void add(const AnalysisResult &R);
};

/// \p Path relative to the current directory when it is below it.
std::string displayPath(llvm::StringRef Path);

/// clang-style diagnostics; \p AsErrors reports chains as errors.
void printText(llvm::raw_ostream &OS, const Report &R, bool Explain,
               bool AsErrors = false);

/// The warning and the step notes, worded as the text output and the
/// clang-tidy check word them (JsonOutput.cpp).
std::string chainMessage(const Chain &C);
std::string stepMessage(unsigned N, const ChainStep &S);

/// --format=json (JsonOutput.cpp) and --format=sarif (SarifOutput.cpp).
/// \p WarningsAsErrors reports each chain at level error.
void printJson(llvm::raw_ostream &OS, const Report &R, bool WarningsAsErrors);
void printSarif(llvm::raw_ostream &OS, const Report &R, bool WarningsAsErrors);

/// --export-fixes=FILE: the kept edits in clang-tidy's YAML (ExportFixes.cpp).
llvm::Error writeExportFixes(llvm::StringRef Path, const Report &R,
                             bool WarningsAsErrors);

} // namespace awaitify::cli

#endif
