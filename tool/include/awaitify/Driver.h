//===- Driver.h - One run, from files to verified edits ---------*- C++ -*-===//
//
// What every front end shares past the analysis: finding the rules, running
// translation units, collecting a Report, and verification -- a rewrite is
// offered only when the translation units that read its files still compile
// with it. The CLI runs translation units from a compilation database
// (runDriver); clang-tidy and clangd have one translation unit already
// parsed and verify it in process (verifyInProcess). Both drop chains the
// same way (verifyTranslationUnit).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_DRIVER_H
#define AWAITIFY_DRIVER_H

#include "awaitify/Report.h"
#include "awaitify/Runner.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <functional>

namespace clang {
class ASTContext;
class Preprocessor;
} // namespace clang

namespace awaitify {

// --- Rules -------------------------------------------------------------------

/// share/awaitify/rewrite-rules beside the installed binary or plugin that
/// holds this code (PREFIX/bin/awaitify, PREFIX/lib/awaitify-tidy.so), else
/// the source tree's rewrite-rules/.
std::string shippedRulesDir();

/// The runtime's include folder: PREFIX/include beside the installed binary
/// or plugin, else the source tree's runtime/include.
std::string runtimeIncludeDir();

/// The run's rules, in the order every front end loads them: the shipped
/// ones (unless \p Shipped is false), then \p Extra in order -- a later rule
/// for the same name wins.
llvm::Expected<RuleSet> loadRules(bool Shipped,
                                  llvm::ArrayRef<std::string> Extra);

/// The rules for \p File: \p Base, then the nearest .awaitify.yaml above it.
llvm::Expected<RuleSet> rulesForFile(const RuleSet &Base, llvm::StringRef File);

// --- Verification --------------------------------------------------------------

/// Parses one translation unit with \p Contents standing in for the files
/// they name; the first error, or nothing when it compiles.
using VerifyFn = llvm::function_ref<std::optional<std::string>(
    const std::map<std::string, std::string> &Contents)>;

/// Verifies one translation unit, which read \p Inputs: it is parsed with
/// the edits of every chain still kept (\p Keep, one flag per R.Chains) that
/// touches it; when that fails, the chains are tried one at a time, and each
/// whose rewrite does not compile is dropped (Dropped says the error).
void verifyTranslationUnit(Report &R, std::vector<bool> &Keep,
                           llvm::ArrayRef<std::string> Inputs,
                           VerifyFn Verify);

/// R.Edits becomes the edits of the chains kept.
void keepOnly(Report &R, const std::vector<bool> &Keep);

/// Parses the translation unit of \p Ctx again, as it was parsed (its
/// language, target, header search and preprocessor options), with
/// \p Contents over the files it read: verification for front ends that
/// have no compile command (clang-tidy, clangd).
std::optional<std::string>
verifyInProcess(clang::ASTContext &Ctx, const clang::Preprocessor &PP,
                const std::map<std::string, std::string> &Contents);

// --- A whole run ---------------------------------------------------------------

struct DriverOptions {
  RunnerOptions Run;
  /// Translation units analysed side by side.
  unsigned Jobs = 1;
  /// Re-parse what would be written and drop what does not compile.
  bool Verify = true;
  /// Called (one call at a time) as each file's analysis ends: how many are
  /// done, of how many, and the file.
  std::function<void(unsigned Done, unsigned Total, llvm::StringRef File)>
      Progress;
  /// When set, the run does not depend on the order of \p Files: the
  /// translation units are collected, and the chains accepted and verified,
  /// in the order of this key of their paths (then offset and function),
  /// as a sharded run and `awaitify merge` do (docs/ci.md).
  std::function<std::string(llvm::StringRef Path)> OrderKey;
};

/// Analyses \p Files with their compile commands, collects the Report,
/// accepts each chain's edits unless they conflict, and verifies every
/// translation unit that reads an edited file (unless there were errors).
Report runDriver(const clang::tooling::CompilationDatabase &Compilations,
                 RuleSet Rules, const std::vector<std::string> &Files,
                 const DriverOptions &Opts);

} // namespace awaitify

#endif
