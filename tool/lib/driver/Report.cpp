//===- Report.cpp ---------------------------------------------------------===//
#include "awaitify/Report.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include <set>

namespace awaitify {

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
  for (const std::string &N : R.Notes)
    if (!llvm::is_contained(Notes, N))
      Notes.push_back(N);
  std::set<std::string> KnownSkips;
  for (const LeftAlone &S : Skipped)
    KnownSkips.insert(Key(S.Where) + S.Reason);
  for (const LeftAlone &S : R.Skipped)
    if (KnownSkips.insert(Key(S.Where) + S.Reason).second)
      Skipped.push_back(S);
}

void Report::acceptEdits(
    llvm::function_ref<std::optional<std::string>(llvm::StringRef)> Read) {
  for (ChainReport &CR : Chains) {
    std::string Why;
    if (Edits.addChain(CR.C.Edits, &Why) == EditSet::AddResult::Conflict)
      CR.Dropped = "its edits conflict with another chain's: " + Why;
    for (const auto &E : CR.C.Edits) {
      std::string Path = E.getFilePath().str();
      if (Originals.count(Path))
        continue;
      if (Read) {
        if (std::optional<std::string> Text = Read(Path))
          Originals[Path] = std::move(*Text);
      } else if (auto Buffer = llvm::MemoryBuffer::getFile(Path)) {
        Originals[Path] = (*Buffer)->getBuffer().str();
      }
    }
  }
}

std::map<std::string, std::string>
Report::contentsWith(const EditSet &Set) const {
  std::map<std::string, std::string> Out;
  for (const auto &[Path, Replaces] : Set.files()) {
    auto It = Originals.find(Path);
    if (It == Originals.end())
      continue;
    auto New = clang::tooling::applyAllReplacements(It->second, Replaces);
    if (New)
      Out[Path] = *New;
    else
      llvm::consumeError(New.takeError());
  }
  return Out;
}

} // namespace awaitify
