//===- Report.cpp ---------------------------------------------------------===//
#include "Report.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <set>

namespace awaitify::cli {

unsigned Report::kept() const {
  unsigned N = 0;
  for (const ChainReport &C : Chains)
    N += C.Dropped.empty();
  return N;
}

void Report::add(const AnalysisResult &R) {
  auto Key = [](const Location &L) { return L.File + ":" + std::to_string(L.Offset); };
  std::set<std::string> Known;
  for (const ChainReport &C : Chains)
    Known.insert(Key(C.C.Where));
  for (const Chain &C : R.Chains)
    if (Known.insert(Key(C.Where)).second)
      Chains.push_back({C, ""});
  std::set<std::string> KnownSkips;
  for (const LeftAlone &S : Skipped)
    KnownSkips.insert(Key(S.Where) + S.Reason);
  for (const LeftAlone &S : R.Skipped)
    if (KnownSkips.insert(Key(S.Where) + S.Reason).second)
      Skipped.push_back(S);
}

std::string displayPath(llvm::StringRef Path) {
  llvm::SmallString<256> Cwd;
  if (!llvm::sys::fs::current_path(Cwd)) {
    std::string Prefix = std::string(Cwd) + "/";
    if (Path.starts_with(Prefix))
      return Path.drop_front(Prefix.size()).str();
  }
  return Path.str();
}

} // namespace awaitify::cli
