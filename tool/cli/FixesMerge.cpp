//===- FixesMerge.cpp - Fixes YAML of shards into one file ----------------===//
//
// clang-apply-replacements applies a folder of fixes files itself: an edit
// that several files propose is applied once, and when two edits overlap it
// applies nothing at all and prints the two. `awaitify merge` of fixes files
// writes the one file that a run over all the files would have written:
//
//  * each diagnostic once (a chain in a header is reported by every shard
//    that has a translation unit including it), sorted by place;
//  * each edit once, with the first diagnostic (in that order) that has it:
//    a shard attaches an edit that several of its chains make (the runtime
//    #include of a header) to its first such chain;
//  * when two shards disagree -- two different edits overlap, or one shard
//    rewrites a chain that another reports not rewritten -- it names each
//    chain they disagree about, with the two inputs, and writes nothing: a
//    fixes file does not say which edits a chain shares with others, so no
//    chain can be left out safely. The JSON reports can: merge those
//    instead.
//
//===----------------------------------------------------------------------===//
#include "Merge.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include <map>
#include <set>
#include <tuple>

namespace awaitify::cli {
namespace {

using clang::tooling::Diagnostic;
using clang::tooling::Replacement;

/// Where a diagnostic is, and what it says.
using DiagKey = std::tuple<std::string, unsigned, std::string, std::string>;
using EditKey = std::tuple<std::string, unsigned, unsigned, std::string>;

DiagKey keyOf(const Diagnostic &D) {
  return {D.Message.FilePath, D.Message.FileOffset, D.DiagnosticName,
          D.Message.Message};
}

EditKey keyOf(const Replacement &R) {
  return {R.getFilePath().str(), R.getOffset(), R.getLength(),
          R.getReplacementText().str()};
}

/// Everything about a diagnostic but its edits.
std::string describe(const Diagnostic &D) {
  std::string Out =
      std::to_string(static_cast<int>(D.DiagLevel)) + "\n" + D.BuildDirectory;
  for (const clang::tooling::DiagnosticMessage &N : D.Notes)
    Out += llvm::formatv("\n{0}:{1}: {2}", N.FilePath, N.FileOffset, N.Message)
               .str();
  return Out;
}

/// Why an input did not rewrite a chain (its note), or "".
std::string notRewritten(const Diagnostic &D) {
  for (const clang::tooling::DiagnosticMessage &N : D.Notes)
    if (llvm::StringRef(N.Message).starts_with("not rewritten: "))
      return N.Message;
  return "";
}

struct Merged {
  Diagnostic D;
  std::string From; ///< the first input that has it
  /// Each edit, and the first input that has it for this diagnostic.
  std::map<EditKey, std::string> Edits;
};

bool overlap(const EditKey &A, const EditKey &B) {
  unsigned AB = std::get<1>(A), AE = AB + std::get<2>(A);
  unsigned BB = std::get<1>(B), BE = BB + std::get<2>(B);
  bool SamePoint = AB == AE && BB == BE && AB == BB;
  return (AB < BE && BB < AE) ||
         (SamePoint && std::get<3>(A) != std::get<3>(B));
}

/// Names diagnostics and their disagreements, each once.
class Disagreements {
public:
  Disagreements(const PathBase &Base, std::vector<std::string> &Out)
      : Base(Base), Out(Out) {}

  /// "file:line:col: message" of \p D (the byte offset when the file cannot
  /// be read).
  std::string where(const Diagnostic &D) {
    const std::string &File = D.Message.FilePath;
    auto [It, New] = Texts.try_emplace(File);
    if (New)
      if (auto Buffer = llvm::MemoryBuffer::getFile(Base.resolve(File)))
        It->second = (*Buffer)->getBuffer().str();
    llvm::StringRef Before =
        llvm::StringRef(It->second).take_front(D.Message.FileOffset);
    if (It->second.size() < D.Message.FileOffset)
      return llvm::formatv("{0} (byte {1}): {2}", File, D.Message.FileOffset,
                           D.Message.Message);
    size_t LineStart = Before.rfind('\n') + 1; // npos + 1 == 0
    return llvm::formatv("{0}:{1}:{2}: {3}", File, Before.count('\n') + 1,
                         Before.size() - LineStart + 1, D.Message.Message);
  }

  void differently(const Diagnostic &D, llvm::StringRef A, llvm::StringRef B) {
    auto [First, Second] = std::minmax(A, B);
    add(llvm::formatv("{0}: {1} and {2} rewrite it differently", where(D),
                      First, Second));
  }

  void add(std::string Line) {
    if (Seen.insert(Line).second)
      Out.push_back(std::move(Line));
  }

private:
  const PathBase &Base;
  std::vector<std::string> &Out;
  std::map<std::string, std::string> Texts;
  std::set<std::string> Seen;
};

/// An edit kept, and whose it is.
struct Kept {
  EditKey Edit;
  const Merged *Owner;
  std::string From;
};

/// Each edit once, to the first diagnostic that has it; an edit that
/// overlaps one already kept is a disagreement.
void assignEdits(std::map<DiagKey, Merged> &All, Disagreements &Say) {
  std::set<EditKey> Taken;
  std::map<std::string, std::vector<Kept>> ByFile;
  for (auto &[Key, M] : All) {
    M.D.Message.Fix.clear();
    for (const auto &[E, From] : M.Edits) {
      if (!Taken.insert(E).second)
        continue;
      std::vector<Kept> &Others = ByFile[std::get<0>(E)];
      const Kept *Clash = nullptr;
      for (const Kept &K : Others)
        if (!Clash && overlap(E, K.Edit))
          Clash = &K;
      if (Clash && Clash->Owner == &M) {
        Say.differently(M.D, Clash->From, From);
      } else if (Clash) {
        Say.add(llvm::formatv("{0} ({1}) and {2} ({3}) edit the same code of "
                              "{4} differently",
                              Say.where(Clash->Owner->D), Clash->From,
                              Say.where(M.D), From, std::get<0>(E)));
      }
      if (Clash)
        continue;
      Others.push_back({E, &M, From});
      auto &[File, Offset, Length, Text] = E;
      llvm::cantFail(
          M.D.Message.Fix[File].add(Replacement(File, Offset, Length, Text)));
    }
  }
}

} // namespace

llvm::Expected<size_t> mergeFixes(const std::vector<MergeInput> &Inputs,
                                  const PathBase &Base, llvm::raw_ostream &OS,
                                  std::vector<std::string> &Conflicts) {
  Disagreements Say(Base, Conflicts);
  std::map<DiagKey, Merged> All;
  for (const MergeInput &In : Inputs) {
    clang::tooling::TranslationUnitDiagnostics Doc;
    llvm::yaml::Input YIn(In.Text);
    YIn >> Doc;
    if (YIn.error())
      return llvm::createStringError(
          YIn.error(), In.Name + ": not a JSON report, a SARIF log or a "
                                 "fixes file (clang-tidy --export-fixes)");
    for (const Diagnostic &D : Doc.Diagnostics) {
      auto [It, New] = All.try_emplace(keyOf(D), Merged{D, In.Name, {}});
      Merged &M = It->second;
      if (!New && describe(M.D) != describe(D)) {
        std::string A = notRewritten(M.D), B = notRewritten(D);
        if (A.empty() != B.empty())
          Say.add(llvm::formatv("{0}: {1} rewrites it, {2} does not ({3})",
                                Say.where(D), A.empty() ? M.From : In.Name,
                                A.empty() ? In.Name : M.From,
                                A.empty() ? B : A));
        else
          Say.differently(D, M.From, In.Name);
      }
      for (const auto &[File, Replaces] : D.Message.Fix)
        for (const Replacement &R : Replaces)
          M.Edits.try_emplace(keyOf(R), In.Name);
    }
  }
  assignEdits(All, Say);
  if (!Conflicts.empty())
    return 0;
  clang::tooling::TranslationUnitDiagnostics Out;
  for (auto &[Key, M] : All)
    Out.Diagnostics.push_back(std::move(M.D));
  if (!Out.Diagnostics.empty())
    Out.MainSourceFile = Out.Diagnostics.front().Message.FilePath;
  llvm::yaml::Output YAML(OS);
  YAML << Out;
  return Out.Diagnostics.size();
}

} // namespace awaitify::cli
