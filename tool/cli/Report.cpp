//===- Report.cpp ---------------------------------------------------------===//
#include "Report.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/ADT/STLExtras.h"
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
  // A chain in a header is seen from every translation unit that includes
  // it; each must rewrite it the same way, or it is not rewritten at all.
  auto SameEdits = [](const Chain &A, const Chain &B) {
    if (A.Edits.size() != B.Edits.size())
      return false;
    for (size_t I = 0; I < A.Edits.size(); ++I)
      if (!(A.Edits[I] == B.Edits[I]))
        return false;
    return true;
  };
  for (const Chain &C : R.Chains) {
    auto It = llvm::find_if(Chains, [&](const ChainReport &Known) {
      return Key(Known.C.Where) == Key(C.Where);
    });
    if (It == Chains.end())
      Chains.push_back({C, ""});
    else if (!SameEdits(It->C, C) && It->Dropped.empty())
      It->Dropped = "two translation units rewrite it differently";
  }
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
