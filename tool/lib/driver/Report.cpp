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

std::vector<RewriteHunk>
rewriteHunks(llvm::StringRef File, llvm::StringRef Original,
             llvm::ArrayRef<clang::tooling::Replacement> Edits,
             unsigned Context) {
  std::vector<unsigned> Starts{0}; // of each line
  for (size_t I = 0; I + 1 < Original.size(); ++I)
    if (Original[I] == '\n')
      Starts.push_back(I + 1);
  auto LineOf = [&](unsigned Offset) {
    return unsigned(llvm::upper_bound(Starts, Offset) - Starts.begin()) - 1;
  };
  std::vector<clang::tooling::Replacement> Sorted(Edits.begin(), Edits.end());
  llvm::sort(Sorted, [](const auto &A, const auto &B) {
    return A.getOffset() < B.getOffset();
  });
  // Line ranges, from 0, each with the edits inside it.
  struct Range {
    unsigned First, Last;
    std::vector<const clang::tooling::Replacement *> Edits;
  };
  std::vector<Range> Ranges;
  unsigned LastLine = Starts.size() - 1;
  for (const clang::tooling::Replacement &E : Sorted) {
    if (E.getOffset() + E.getLength() > Original.size())
      return {};
    unsigned First = LineOf(E.getOffset());
    unsigned Last =
        E.getLength() ? LineOf(E.getOffset() + E.getLength() - 1) : First;
    First = First > Context ? First - Context : 0;
    Last = std::min(Last + Context, LastLine);
    if (Ranges.empty() || First > Ranges.back().Last + 1)
      Ranges.push_back({First, Last, {}});
    Ranges.back().Last = std::max(Ranges.back().Last, Last);
    Ranges.back().Edits.push_back(&E);
  }
  std::vector<RewriteHunk> Out;
  for (const Range &Rg : Ranges) {
    unsigned Begin = Starts[Rg.First];
    unsigned End = Rg.Last + 1 < Starts.size() ? Starts[Rg.Last + 1]
                                               : unsigned(Original.size());
    RewriteHunk H{File.str(), Rg.First + 1, Original.slice(Begin, End).str(),
                  ""};
    clang::tooling::Replacements Local;
    for (const clang::tooling::Replacement *E : Rg.Edits)
      if (llvm::Error Err = Local.add(clang::tooling::Replacement(
              "", E->getOffset() - Begin, E->getLength(),
              E->getReplacementText()))) {
        llvm::consumeError(std::move(Err));
        return {};
      }
    auto After = clang::tooling::applyAllReplacements(H.Before, Local);
    if (!After) {
      llvm::consumeError(After.takeError());
      return {};
    }
    H.After = std::move(*After);
    Out.push_back(std::move(H));
  }
  return Out;
}

std::vector<RewriteHunk> Report::preview(const ChainReport &CR) const {
  std::vector<std::string> Files;
  for (const clang::tooling::Replacement &E : CR.C.Edits)
    if (!llvm::is_contained(Files, E.getFilePath()))
      Files.push_back(E.getFilePath().str());
  std::vector<RewriteHunk> Out;
  for (const std::string &F : Files) {
    auto Original = Originals.find(F);
    if (Original == Originals.end())
      continue;
    std::vector<clang::tooling::Replacement> Edits;
    llvm::copy_if(CR.C.Edits, std::back_inserter(Edits),
                  [&](const auto &E) { return E.getFilePath() == F; });
    for (RewriteHunk &H : rewriteHunks(F, Original->second, Edits))
      Out.push_back(std::move(H));
  }
  return Out;
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
