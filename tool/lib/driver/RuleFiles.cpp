//===- RuleFiles.cpp - Which rule files apply, where the runtime is -------===//
#include "awaitify/Driver.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <dlfcn.h>

namespace awaitify {

/// PREFIX/<Below> beside the installed binary or plugin that holds this
/// code (PREFIX/bin/awaitify, PREFIX/lib/awaitify-tidy.so), when it has
/// \p Marker; else \p Source.
static std::string installed(llvm::ArrayRef<llvm::StringRef> Below,
                             llvm::StringRef Marker, llvm::StringRef Source) {
  // The binary holding this code: the executable, or the clang-tidy plugin
  // loaded into clang-tidy (whose own executable is elsewhere).
  std::vector<std::string> Binaries;
  Dl_info Info;
  if (dladdr(reinterpret_cast<void *>(&shippedRulesDir), &Info) &&
      Info.dli_fname && *Info.dli_fname)
    Binaries.push_back(Info.dli_fname);
  Binaries.push_back(llvm::sys::fs::getMainExecutable(
      nullptr, reinterpret_cast<void *>(&shippedRulesDir)));
  for (const std::string &B : Binaries) {
    llvm::SmallString<256> Real;
    if (llvm::sys::fs::real_path(B, Real))
      continue;
    llvm::SmallString<256> Dir(
        llvm::sys::path::parent_path(llvm::sys::path::parent_path(Real)));
    for (llvm::StringRef Part : Below)
      llvm::sys::path::append(Dir, Part);
    llvm::SmallString<256> Probe(Dir);
    llvm::sys::path::append(Probe, Marker);
    if (llvm::sys::fs::exists(Probe))
      return std::string(Dir);
  }
  return Source.str();
}

std::string shippedRulesDir() {
  return installed({"share", "awaitify", "rewrite-rules"}, "asio.yaml",
                   AWAITIFY_SOURCE_RULES_DIR);
}

std::string runtimeIncludeDir() {
  return installed({"include"}, "awaitify/awaitify.hpp",
                   AWAITIFY_SOURCE_RUNTIME_DIR);
}

llvm::Expected<RuleSet> loadRules(bool Shipped,
                                  llvm::ArrayRef<std::string> Extra) {
  RuleSet Rules;
  if (Shipped)
    for (const std::string &F : listRuleFiles(shippedRulesDir()))
      if (llvm::Error E = Rules.addFile(F))
        return std::move(E);
  for (const std::string &F : Extra)
    if (llvm::Error E = Rules.addFile(F))
      return std::move(E);
  return Rules;
}

llvm::Expected<RuleSet> rulesForFile(const RuleSet &Base,
                                     llvm::StringRef File) {
  std::optional<std::string> Project = findProjectRuleFile(File);
  if (!Project)
    return Base;
  RuleSet Merged = Base;
  if (llvm::Error E = Merged.addFile(*Project))
    return std::move(E);
  return Merged;
}

} // namespace awaitify
