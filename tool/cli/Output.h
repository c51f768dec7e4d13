//===- Output.h - How the CLI prints a Report -------------------*- C++ -*-===//
//
// The outputs of `awaitify check|fix|diff`: clang-style text, one JSON
// document, SARIF 2.1.0, and clang-tidy's export-fixes YAML. Each only
// prints a Report (awaitify/Report.h), worded by awaitify/Messages.h.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_CLI_OUTPUT_H
#define AWAITIFY_CLI_OUTPUT_H

#include "awaitify/Messages.h"
#include "awaitify/Report.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace awaitify::cli {

/// \p Path relative to the current directory when it is below it.
std::string displayPath(llvm::StringRef Path);

/// clang-style diagnostics; \p AsErrors reports chains as errors.
void printText(llvm::raw_ostream &OS, const Report &R, bool Explain,
               bool AsErrors = false);

/// --format=json (JsonOutput.cpp) and --format=sarif (SarifOutput.cpp).
/// \p WarningsAsErrors reports each chain at level error.
void printJson(llvm::raw_ostream &OS, const Report &R, bool WarningsAsErrors);
/// \p PortableBase, when not empty, is the folder that the paths of \p R
/// are relative to (Shards.h): they stay relative to %SRCROOT%, and the log
/// names no folder of this machine.
void printSarif(llvm::raw_ostream &OS, const Report &R, bool WarningsAsErrors,
                llvm::StringRef PortableBase = "");

/// --export-fixes=FILE: the kept edits in clang-tidy's YAML (ExportFixes.cpp).
/// \p BuildDirectory is what the diagnostics name as theirs (the working
/// directory when empty).
llvm::Error writeExportFixes(llvm::StringRef Path, const Report &R,
                             bool WarningsAsErrors,
                             llvm::StringRef BuildDirectory = "");
llvm::Error printExportFixes(llvm::raw_ostream &OS, const Report &R,
                             bool WarningsAsErrors,
                             llvm::StringRef BuildDirectory = "");

/// `awaitify merge` (Merge.cpp): \p argv[0] is "merge". The exit status.
int runMerge(int argc, const char **argv);

} // namespace awaitify::cli

#endif
