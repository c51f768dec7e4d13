//===- AwaitifyClangdMain.cpp - clangd with the awaitify checks -----------===//
//
// awaitify-clangd is Debian's clangd 19 (libclangdMain.a) with the awaitify
// clang-tidy module linked in, so that an editor shows each callback chain
// as a diagnostic and offers its rewrite as a quick fix. Nothing else
// differs from clangd: every clangd flag and .clangd setting works. clangd
// asks checks for self-contained diagnostics, so each quick fix carries the
// chain's whole rewrite (the editor applies one at a time). One thing is set
// before clangd starts: --resource-dir names clang's resource directory when
// the user did not, because clangd looks for it beside its own binary, and
// this binary is not installed beside clang.
//
//===----------------------------------------------------------------------===//
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include <string>
#include <vector>

namespace clang::clangd {
int clangdMain(int Argc, char *Argv[]);
} // namespace clang::clangd

// Defined in tool/tidy/AwaitifyTidyModule.cpp next to the module's
// registration; referencing it keeps that registration in the link.
extern volatile int AwaitifyModuleAnchorSource;

int main(int Argc, char *Argv[]) {
  [[maybe_unused]] static int AwaitifyModuleAnchorDestination =
      AwaitifyModuleAnchorSource;

  std::vector<char *> Args(Argv, Argv + Argc);
  bool HasResourceDir = false;
  for (llvm::StringRef A : llvm::ArrayRef(Argv, Argc))
    HasResourceDir |= A.starts_with("-resource-dir") ||
                      A.starts_with("--resource-dir");
  std::string ResourceDir = "--resource-dir=" AWAITIFY_RESOURCE_DIR;
  if (!HasResourceDir && llvm::sys::fs::is_directory(AWAITIFY_RESOURCE_DIR))
    Args.push_back(ResourceDir.data());
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(static_cast<int>(Args.size()) - 1,
                                   Args.data());
}
