//===- AwaitifyTidyModule.cpp - The awaitify clang-tidy module ------------===//
//
// Registers the `awaitify-` checks with clang-tidy. Built twice from the same
// objects: as a plugin that `clang-tidy --load` opens (clang-tidy provides
// every clang symbol), and linked into awaitify-clangd, which references
// AwaitifyModuleAnchorSource so that the registration below is kept.
//
//===----------------------------------------------------------------------===//
#include "CallbackChainCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace awaitify::tidy {

class AwaitifyModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(
      clang::tidy::ClangTidyCheckFactories &CheckFactories) override {
    CheckFactories.registerCheck<CallbackChainCheck>("awaitify-callback-chain");
  }
};

static clang::tidy::ClangTidyModuleRegistry::Add<AwaitifyModule>
    X("awaitify-module",
      "Rewrites nested callback chains into C++20 coroutines.");

} // namespace awaitify::tidy

// Referenced by awaitify-clangd so that the linker keeps this file.
// NOLINTNEXTLINE(misc-use-internal-linkage)
volatile int AwaitifyModuleAnchorSource = 0;
