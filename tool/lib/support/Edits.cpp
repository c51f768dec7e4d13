//===- Edits.cpp ----------------------------------------------------------===//
#include "awaitify/Edits.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>

using clang::tooling::Replacement;
using clang::tooling::Replacements;

namespace awaitify {

EditSet::AddResult EditSet::addChain(const std::vector<Replacement> &Edits,
                                     std::string *Why) {
  std::map<std::string, Replacements> Trial;
  bool AnyNew = false;
  for (const Replacement &R : Edits) {
    auto Key = std::make_tuple(R.getFilePath().str(), R.getOffset(),
                               R.getLength(), R.getReplacementText().str());
    if (Seen.count(Key))
      continue;
    AnyNew = true;
    auto [It, Inserted] = Trial.try_emplace(R.getFilePath().str());
    if (Inserted) {
      auto Existing = Files.find(R.getFilePath().str());
      if (Existing != Files.end())
        It->second = Existing->second;
    }
    // Only an edit that overlaps a different one is a conflict.
    for (const Replacement &Old : It->second) {
      unsigned AB = R.getOffset(), AE = AB + R.getLength();
      unsigned BB = Old.getOffset(), BE = BB + Old.getLength();
      bool Overlap = AB < BE && BB < AE;
      bool SamePoint = AB == AE && BB == BE && AB == BB;
      if (Overlap || (SamePoint && R.getReplacementText() !=
                                       Old.getReplacementText())) {
        if (Why)
          *Why = R.getFilePath().str() + ": edit at offset " +
                 std::to_string(R.getOffset()) +
                 " conflicts with another edit of the same text";
        return AddResult::Conflict;
      }
    }
    if (llvm::Error E = It->second.add(R)) {
      if (Why)
        *Why = llvm::toString(std::move(E));
      else
        llvm::consumeError(std::move(E));
      return AddResult::Conflict;
    }
  }
  if (!AnyNew)
    return AddResult::Duplicate;
  for (auto &[Path, Replaces] : Trial)
    Files[Path] = std::move(Replaces);
  for (const Replacement &R : Edits)
    Seen.insert(std::make_tuple(R.getFilePath().str(), R.getOffset(),
                                R.getLength(), R.getReplacementText().str()));
  return AddResult::Added;
}

namespace {
/// Splits text into lines, keeping the offsets where each line starts.
struct Lines {
  explicit Lines(llvm::StringRef Text) : Text(Text) {
    Starts.push_back(0);
    for (size_t I = 0; I < Text.size(); ++I)
      if (Text[I] == '\n' && I + 1 < Text.size())
        Starts.push_back(I + 1);
  }
  unsigned lineOf(unsigned Offset) const {
    return std::upper_bound(Starts.begin(), Starts.end(), Offset) -
           Starts.begin() - 1;
  }
  llvm::StringRef line(unsigned I) const {
    size_t B = Starts[I];
    size_t E = I + 1 < Starts.size() ? Starts[I + 1] : Text.size();
    return Text.slice(B, E);
  }
  unsigned size() const { return Text.empty() ? 0 : Starts.size(); }
  llvm::StringRef Text;
  std::vector<size_t> Starts;
};

struct Span {
  unsigned OldBegin, OldEnd; // lines [OldBegin, OldEnd)
  unsigned NewBegin, NewEnd;
};

/// Splits span \p S into the runs of lines that differ, keeping the longest
/// common subsequence of its old and new lines as context between them.
void alignSpan(const Lines &Old, const Lines &New, const Span &S,
               std::vector<Span> &Out) {
  unsigned N = S.OldEnd - S.OldBegin, M = S.NewEnd - S.NewBegin;
  if (N == 0 || M == 0 || uint64_t(N) * M > 250000) {
    Out.push_back(S);
    return;
  }
  // Common[I][J]: the longest common subsequence of old lines I.. and new
  // lines J.. of the span.
  std::vector<std::vector<unsigned>> Common(N + 1,
                                            std::vector<unsigned>(M + 1, 0));
  for (unsigned I = N; I-- > 0;)
    for (unsigned J = M; J-- > 0;)
      Common[I][J] = Old.line(S.OldBegin + I) == New.line(S.NewBegin + J)
                         ? Common[I + 1][J + 1] + 1
                         : std::max(Common[I + 1][J], Common[I][J + 1]);
  unsigned I = 0, J = 0;
  std::optional<Span> Run;
  auto Flush = [&] {
    if (Run)
      Out.push_back(*Run);
    Run.reset();
  };
  auto Open = [&] {
    if (!Run)
      Run = Span{S.OldBegin + I, S.OldBegin + I, S.NewBegin + J,
                 S.NewBegin + J};
  };
  while (I < N || J < M) {
    if (I < N && J < M &&
        Old.line(S.OldBegin + I) == New.line(S.NewBegin + J)) {
      Flush();
      ++I, ++J;
    } else if (J < M && (I == N || Common[I][J + 1] >= Common[I + 1][J])) {
      Open();
      Run->NewEnd = S.NewBegin + ++J;
    } else {
      Open();
      Run->OldEnd = S.OldBegin + ++I;
    }
  }
  Flush();
}
} // namespace

std::string unifiedDiff(llvm::StringRef Path, llvm::StringRef Before,
                        const Replacements &EditsAsMade, unsigned Context) {
  // What `fix` writes: the lines the edits add in the file's line ending.
  Replacements Edits = inLineEndingOf(Before, EditsAsMade);
  auto AfterOr = clang::tooling::applyAllReplacements(Before, Edits);
  if (!AfterOr) {
    llvm::consumeError(AfterOr.takeError());
    return "";
  }
  std::string After = *AfterOr;
  if (After == Before)
    return "";
  Lines Old(Before), New(After);

  // Each edit touches whole lines: the lines its old range spans in Before,
  // and the lines its new text spans in After.
  std::vector<Span> Spans;
  long Delta = 0;
  for (const Replacement &R : Edits) {
    unsigned OB = R.getOffset(), OE = OB + R.getLength();
    unsigned NB = OB + Delta, NE = NB + R.getReplacementText().size();
    Delta += long(R.getReplacementText().size()) - long(R.getLength());
    Span S;
    S.OldBegin = Old.lineOf(OB);
    S.OldEnd = Old.size() ? Old.lineOf(OE ? std::max(OE, OB + 1) - 1 : 0) + 1 : 0;
    if (OE == OB) // an insertion changes the line it lands in
      S.OldEnd = std::min(Old.lineOf(OB) + 1, Old.size());
    S.NewBegin = New.lineOf(NB);
    S.NewEnd = New.size() ? New.lineOf(NE > NB ? NE - 1 : NB) + 1 : 0;
    // Keep the two spans aligned: both start at the same distance from the
    // previous unchanged line.
    Spans.push_back(S);
  }
  // Merge spans that overlap or touch, then re-derive the new-side extent
  // from the old side (lines between changes are identical).
  std::sort(Spans.begin(), Spans.end(),
            [](const Span &A, const Span &B) { return A.OldBegin < B.OldBegin; });
  std::vector<Span> Merged;
  for (const Span &S : Spans) {
    if (!Merged.empty() && S.OldBegin <= Merged.back().OldEnd) {
      Merged.back().OldEnd = std::max(Merged.back().OldEnd, S.OldEnd);
      Merged.back().NewEnd = std::max(Merged.back().NewEnd, S.NewEnd);
    } else {
      Merged.push_back(S);
    }
  }
  // Make the spans consistent: the unchanged tail after a span must be the
  // same length on both sides up to the next span.
  for (size_t I = 0; I < Merged.size(); ++I) {
    unsigned OldGap = (I + 1 < Merged.size() ? Merged[I + 1].OldBegin
                                             : Old.size()) - Merged[I].OldEnd;
    unsigned NewGap = (I + 1 < Merged.size() ? Merged[I + 1].NewBegin
                                             : New.size()) - Merged[I].NewEnd;
    if (NewGap != OldGap)
      Merged[I].NewEnd = (I + 1 < Merged.size() ? Merged[I + 1].NewBegin
                                                : New.size()) - OldGap;
  }

  // Lines an edit rewrote to themselves (an insertion at a line start, a
  // reformatted line that came out the same) are context, not changes.
  for (Span &S : Merged) {
    while (S.OldBegin < S.OldEnd && S.NewBegin < S.NewEnd &&
           Old.line(S.OldBegin) == New.line(S.NewBegin))
      ++S.OldBegin, ++S.NewBegin;
    while (S.OldBegin < S.OldEnd && S.NewBegin < S.NewEnd &&
           Old.line(S.OldEnd - 1) == New.line(S.NewEnd - 1))
      --S.OldEnd, --S.NewEnd;
  }

  // Within a span, lines both sides keep (a header inserted into a block
  // that clang-format rewrote whole) are context too.
  std::vector<Span> Fine;
  for (const Span &S : Merged)
    alignSpan(Old, New, S, Fine);
  Merged = std::move(Fine);

  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << "--- " << Path << "\n+++ " << Path << "\n";
  auto Emit = [&](llvm::StringRef Prefix, llvm::StringRef Line) {
    OS << Prefix << Line;
    if (!Line.ends_with("\n"))
      OS << "\n\\ No newline at end of file\n";
  };
  size_t I = 0;
  while (I < Merged.size()) {
    // Group spans whose context windows touch into one hunk.
    size_t J = I;
    while (J + 1 < Merged.size() &&
           Merged[J + 1].OldBegin <= Merged[J].OldEnd + 2 * Context)
      ++J;
    unsigned OB = Merged[I].OldBegin > Context ? Merged[I].OldBegin - Context : 0;
    unsigned NB = Merged[I].NewBegin - (Merged[I].OldBegin - OB);
    unsigned OE = std::min(Merged[J].OldEnd + Context, Old.size());
    unsigned NE = Merged[J].NewEnd + (OE - Merged[J].OldEnd);
    OS << "@@ -" << (OE - OB ? OB + 1 : OB) << "," << (OE - OB) << " +"
       << (NE - NB ? NB + 1 : NB) << "," << (NE - NB) << " @@\n";
    unsigned O = OB, N = NB;
    for (size_t K = I; K <= J; ++K) {
      for (; O < Merged[K].OldBegin; ++O, ++N)
        Emit(" ", Old.line(O));
      for (; O < Merged[K].OldEnd; ++O)
        Emit("-", Old.line(O));
      for (; N < Merged[K].NewEnd; ++N)
        Emit("+", New.line(N));
    }
    for (; O < OE; ++O, ++N)
      Emit(" ", Old.line(O));
    I = J + 1;
  }
  return Out;
}

llvm::StringRef lineEndingOf(llvm::StringRef Text) {
  size_t Break = Text.find('\n');
  return Break != llvm::StringRef::npos && Break > 0 && Text[Break - 1] == '\r'
             ? "\r\n"
             : "\n";
}

Replacements inLineEndingOf(llvm::StringRef Original,
                            const Replacements &Edits) {
  bool Crlf = lineEndingOf(Original) == "\r\n";
  Replacements Out;
  // Last: the character before the one being written, in the result (a
  // "\n" after a "\r" already ends a CRLF line).
  unsigned End = 0;
  char Last = 0;
  for (const Replacement &R : Edits) {
    if (R.getOffset() > Original.size())
      return Edits;
    if (R.getOffset() > End)
      Last = Original[R.getOffset() - 1];
    llvm::StringRef From = R.getReplacementText();
    std::string Text;
    Text.reserve(From.size());
    for (size_t I = 0; I < From.size(); ++I) {
      char C = From[I];
      if (Crlf && C == '\n' && Last != '\r')
        Text += '\r';
      if (!Crlf && C == '\r' && From.substr(I + 1).starts_with("\n"))
        continue;
      Text += C;
      Last = C;
    }
    End = R.getOffset() + R.getLength();
    if (llvm::Error E = Out.add(
            Replacement(R.getFilePath(), R.getOffset(), R.getLength(), Text))) {
      llvm::consumeError(std::move(E));
      return Edits;
    }
  }
  return Out;
}

bool isReadOnly(llvm::StringRef Path) {
  namespace fs = llvm::sys::fs;
  fs::file_status Status;
  if (fs::status(Path, Status))
    return false;
  return (Status.permissions() & (fs::owner_write | fs::group_write |
                                  fs::others_write)) == fs::no_perms;
}

llvm::Error writeFileAtomically(llvm::StringRef Path,
                                llvm::StringRef Contents) {
  namespace fs = llvm::sys::fs;
  // A rename would replace a symbolic link with a file: write the file it
  // names instead.
  llvm::SmallString<256> Target(Path);
  if (fs::is_symlink_file(Path))
    if (std::error_code EC = fs::real_path(Path, Target))
      return llvm::createFileError(Path, EC);
  fs::file_status Old;
  bool Exists = !fs::status(Target, Old);
  auto Temp = fs::TempFile::create(Target + ".temp-awaitify-%%%%%%");
  if (!Temp)
    return Temp.takeError();
  auto Fail = [&](std::error_code EC) {
    return llvm::joinErrors(llvm::createFileError(Temp->TmpName, EC),
                            Temp->discard());
  };
  {
    llvm::raw_fd_ostream OS(Temp->FD, /*shouldClose=*/false);
    OS << Contents;
    OS.flush();
    if (std::error_code EC = OS.error()) {
      OS.clear_error();
      return Fail(EC);
    }
  }
  if (Exists) {
    // The owner and group first: changing them clears the set-user-ID
    // bit. Only root may give a file away; anyone else may keep its group
    // (one they belong to), and the file becomes their own.
    fs::file_status New;
    if (!fs::status(Temp->FD, New) &&
        (New.getUser() != Old.getUser() || New.getGroup() != Old.getGroup()) &&
        fs::changeFileOwnership(Temp->FD, Old.getUser(), Old.getGroup()))
      (void)fs::changeFileOwnership(Temp->FD, New.getUser(), Old.getGroup());
    if (std::error_code EC = fs::setPermissions(Temp->FD, Old.permissions()))
      return Fail(EC);
  }
  return Temp->keep(Target);
}

} // namespace awaitify
