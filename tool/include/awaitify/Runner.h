//===- Runner.h - Analyse and verify translation units ----------*- C++ -*-===//
//
// The part of a front end that is the same for every front end that runs
// clang itself (the CLI, benchmarks, tests): parse one translation unit with
// its compile command, analyse it with the rules that apply to it (the run's
// rules plus the nearest .awaitify.yaml), and re-parse it with edited file
// contents to check that a rewrite still compiles. Each call builds its own
// ClangTool, so calls for different files may run on different threads.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_RUNNER_H
#define AWAITIFY_RUNNER_H

#include "awaitify/Chain.h"
#include "awaitify/Rules.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <map>
#include <optional>
#include <string>

namespace awaitify {

struct RunnerOptions {
  AnalysisOptions Analysis;
  /// clang's resource directory, passed to the parser unless the compile
  /// command names one.
  std::string ResourceDir;
  /// Look for .awaitify.yaml next to each source file and in its parents.
  bool ProjectRules = true;
  /// The runtime's include folder, which verification finds after the
  /// command's own (-idirafter): empty for runtimeIncludeDir().
  std::string RuntimeInclude;
};

struct TranslationUnitResult {
  std::string File;
  AnalysisResult Analysis;
  /// Set when the file could not be analysed: the first error, in clang's
  /// "file:line:col: error: message" form, or a bad rule file.
  std::string Error;
  /// Every file the translation unit read (absolute), for verification.
  std::vector<std::string> Inputs;
  /// The compile command finds <awaitify/awaitify.hpp> by itself.
  bool FindsRuntime = false;
};

class Runner {
public:
  Runner(const clang::tooling::CompilationDatabase &Compilations,
         RuleSet Rules, RunnerOptions Opts);

  TranslationUnitResult analyze(llvm::StringRef File);

  /// Parses \p File with \p Contents standing in for the files they name.
  /// Returns the first error, or std::nullopt when it compiles.
  std::optional<std::string>
  verify(llvm::StringRef File,
         const std::map<std::string, std::string> &Contents);

private:
  const clang::tooling::CompilationDatabase &Compilations;
  RuleSet Rules;
  RunnerOptions Opts;
};

} // namespace awaitify

#endif
