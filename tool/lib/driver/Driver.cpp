//===- Driver.cpp - One run over a compilation database -------------------===//
#include "awaitify/Driver.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include <atomic>
#include <mutex>
#include <tuple>

namespace awaitify {

/// Runs \p Task(0) ... \p Task(N - 1), \p Jobs at a time when more than one.
static void sideBySide(size_t N, unsigned Jobs,
                       llvm::function_ref<void(size_t)> Task) {
  if (Jobs <= 1 || N <= 1) {
    for (size_t I = 0; I < N; ++I)
      Task(I);
    return;
  }
  // Each ClangTool moves the process into its compile command's directory
  // and back; threads running side by side "restore" each other's. Put the
  // working directory back, or relative paths (--export-fixes=FILE, the
  // paths printed) would be taken from a build folder.
  llvm::SmallString<256> Cwd;
  std::error_code CwdError = llvm::sys::fs::current_path(Cwd);
  llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Jobs));
  for (size_t I = 0; I < N; ++I)
    Pool.async([&, I] { Task(I); });
  Pool.wait();
  if (!CwdError)
    llvm::sys::fs::set_current_path(Cwd);
}

/// Analyses every file, side by side when asked.
static std::vector<TranslationUnitResult>
analyzeAll(Runner &Run, const std::vector<std::string> &Files,
           const DriverOptions &Opts) {
  std::vector<TranslationUnitResult> Results(Files.size());
  std::atomic<unsigned> Done{0};
  std::mutex ProgressMutex;
  sideBySide(Files.size(), Opts.Jobs, [&](size_t I) {
    Results[I] = Run.analyze(Files[I]);
    unsigned N = ++Done;
    if (Opts.Progress) {
      std::lock_guard<std::mutex> Lock(ProgressMutex);
      Opts.Progress(N, Files.size(), Files[I]);
    }
  });
  return Results;
}

/// Verifies the translation units one after the other
/// (verifyTranslationUnit), each with the chains that those before it kept.
/// With \p Jobs > 1 they are first all parsed side by side with every chain
/// kept so far: those before the first that fails would have compiled one
/// after the other too, so only the rest need the one-by-one pass.
static void verifyAll(Report &R, Runner &Run,
                      const std::vector<TranslationUnitResult> &Results,
                      unsigned Jobs) {
  std::vector<bool> Keep(R.Chains.size(), true);
  size_t First = 0;
  if (Jobs > 1 && Results.size() > 1) {
    keepOnly(R, Keep);
    std::map<std::string, std::string> Contents = R.contentsWith(R.Edits);
    auto Involved = [&](const TranslationUnitResult &TU) {
      return llvm::any_of(R.Chains, [&](const ChainReport &CR) {
        return CR.Dropped.empty() &&
               llvm::any_of(CR.C.Edits, [&](const auto &E) {
                 return llvm::is_contained(TU.Inputs, E.getFilePath());
               });
      });
    };
    std::vector<char> Fails(Results.size(), false);
    sideBySide(Results.size(), Jobs, [&](size_t I) {
      Fails[I] = Involved(Results[I]) &&
                 Run.verify(Results[I].File, Contents).has_value();
    });
    First = llvm::find(Fails, true) - Fails.begin();
  }
  for (size_t I = First; I < Results.size(); ++I)
    verifyTranslationUnit(
        R, Keep, Results[I].Inputs,
        [&](const std::map<std::string, std::string> &Contents) {
          return Run.verify(Results[I].File, Contents);
        });
  keepOnly(R, Keep);
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
          "the rewritten code includes awaitify's runtime "
          "(<awaitify/detached.hpp>, <awaitify/from_callback.hpp>): build it "
          "with -I" + Dir + " (CMake: find_package(awaitify) and link "
          "awaitify::awaitify_runtime) and -std=c++20");
      return;
    }
}

/// Chains in the order of their first call's place (\p Key of its path,
/// then its offset) and function: conflicts between chains are settled the
/// same way whichever order the translation units came in.
static void
orderChains(Report &R, const std::function<std::string(llvm::StringRef)> &Key) {
  auto Tuple = [&](const ChainReport &CR) {
    return std::make_tuple(Key(CR.C.Where.File), CR.C.Where.Offset,
                           CR.C.Function);
  };
  llvm::sort(R.Chains, [&](const ChainReport &A, const ChainReport &B) {
    return Tuple(A) < Tuple(B);
  });
}

Report runDriver(const clang::tooling::CompilationDatabase &Compilations,
                 RuleSet Rules, const std::vector<std::string> &Files,
                 const DriverOptions &Opts) {
  Runner Run(Compilations, std::move(Rules), Opts.Run);
  std::vector<TranslationUnitResult> Results = analyzeAll(Run, Files, Opts);
  if (Opts.OrderKey)
    llvm::sort(Results, [&](const TranslationUnitResult &A,
                            const TranslationUnitResult &B) {
      return std::make_pair(Opts.OrderKey(A.File), A.File) <
             std::make_pair(Opts.OrderKey(B.File), B.File);
    });
  Report R;
  R.Files = Files.size();
  for (const TranslationUnitResult &TU : Results) {
    if (!TU.Error.empty())
      R.Errors.push_back(TU.Error);
    else
      R.add(TU.Analysis);
  }
  if (Opts.OrderKey)
    orderChains(R, Opts.OrderKey);
  R.acceptEdits();
  // Never offer code that does not compile: re-parse every translation unit
  // that reads an edited file, and drop the chains that break it.
  if (!Opts.Verify || !R.Errors.empty() || R.Edits.empty())
    return R;
  verifyAll(R, Run, Results, Opts.Jobs);
  noteRuntime(R, Results, Opts.Run);
  return R;
}

} // namespace awaitify
