//===- Driver.cpp - One run over a compilation database -------------------===//
#include "awaitify/Driver.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include <atomic>
#include <mutex>

namespace awaitify {

/// Analyses every file, side by side when asked.
static std::vector<TranslationUnitResult>
analyzeAll(Runner &Run, const std::vector<std::string> &Files,
           const DriverOptions &Opts) {
  std::vector<TranslationUnitResult> Results(Files.size());
  std::atomic<unsigned> Done{0};
  std::mutex ProgressMutex;
  auto AnalyzeOne = [&](size_t I) {
    Results[I] = Run.analyze(Files[I]);
    unsigned N = ++Done;
    if (Opts.Progress) {
      std::lock_guard<std::mutex> Lock(ProgressMutex);
      Opts.Progress(N, Files.size(), Files[I]);
    }
  };
  if (Opts.Jobs > 1 && Files.size() > 1) {
    // Each ClangTool moves the process into its compile command's directory
    // and back; threads running side by side "restore" each other's. Put
    // the working directory back, or relative paths (--export-fixes=FILE,
    // the paths printed) would be taken from a build folder.
    llvm::SmallString<256> Cwd;
    std::error_code CwdError = llvm::sys::fs::current_path(Cwd);
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Opts.Jobs));
    for (size_t I = 0; I < Files.size(); ++I)
      Pool.async([&, I] { AnalyzeOne(I); });
    Pool.wait();
    if (!CwdError)
      llvm::sys::fs::set_current_path(Cwd);
  } else {
    for (size_t I = 0; I < Files.size(); ++I)
      AnalyzeOne(I);
  }
  return Results;
}

/// When a kept rewrite includes the runtime and a translation unit's own
/// command does not find it, the build needs a flag: said once.
static void noteRuntime(Report &R,
                        const std::vector<TranslationUnitResult> &Results,
                        const RunnerOptions &Opts) {
  auto Kept = [&](const Chain &C) {
    return llvm::any_of(R.Chains, [&](const ChainReport &CR) {
      return CR.Dropped.empty() && CR.C.NeedsRuntime &&
             CR.C.Where.File == C.Where.File &&
             CR.C.Where.Offset == C.Where.Offset;
    });
  };
  for (const TranslationUnitResult &TU : Results)
    if (!TU.FindsRuntime && llvm::any_of(TU.Analysis.Chains, Kept)) {
      std::string Dir = Opts.RuntimeInclude.empty() ? runtimeIncludeDir()
                                                    : Opts.RuntimeInclude;
      R.Notes.push_back(
          "the rewritten code includes <awaitify/awaitify.hpp>: build it "
          "with -I" + Dir + " (CMake: find_package(awaitify) and link "
          "awaitify::awaitify_runtime) and -std=c++20");
      return;
    }
}

Report runDriver(const clang::tooling::CompilationDatabase &Compilations,
                 RuleSet Rules, const std::vector<std::string> &Files,
                 const DriverOptions &Opts) {
  Runner Run(Compilations, std::move(Rules), Opts.Run);
  std::vector<TranslationUnitResult> Results = analyzeAll(Run, Files, Opts);
  Report R;
  R.Files = Files.size();
  for (const TranslationUnitResult &TU : Results) {
    if (!TU.Error.empty())
      R.Errors.push_back(TU.Error);
    else
      R.add(TU.Analysis);
  }
  R.acceptEdits();
  // Never offer code that does not compile: re-parse every translation unit
  // that reads an edited file, and drop the chains that break it.
  if (!Opts.Verify || !R.Errors.empty() || R.Edits.empty())
    return R;
  std::vector<bool> Keep(R.Chains.size(), true);
  for (const TranslationUnitResult &TU : Results)
    verifyTranslationUnit(
        R, Keep, TU.Inputs,
        [&](const std::map<std::string, std::string> &Contents) {
          return Run.verify(TU.File, Contents);
        });
  keepOnly(R, Keep);
  noteRuntime(R, Results, Opts.Run);
  return R;
}

} // namespace awaitify
