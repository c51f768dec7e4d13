//===- Format.cpp - The edits in the file's style -------------------------===//
#include "rewrite/Format.h"
#include "rewrite/Style.h"
#include "support/Ast.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Format/Format.h"
#include <map>

using namespace clang;

namespace awaitify::detail {

/// Applies clang-format's include insertion and formatting (changed lines
/// only) to the edits of one file.
static llvm::Expected<tooling::Replacements>
formatFile(llvm::StringRef Path, llvm::StringRef Code,
           const tooling::Replacements &Replaces, const AnalysisOptions &Opts) {
  if (!Opts.Format) {
    auto Cleaned =
        format::cleanupAroundReplacements(Code, Replaces, format::getLLVMStyle());
    if (Cleaned)
      return *Cleaned;
    llvm::consumeError(Cleaned.takeError());
    return Replaces;
  }
  // The file's .clang-format, else the user's fallback style, else the
  // style the file is written in.
  auto Style = styleForFile(Path, Code, Opts.FallbackStyle);
  if (!Style)
    return Style.takeError();
  // The includes the file has stay in its order: some must come first (a
  // header that another one needs and does not include). New ones are
  // inserted where they fit.
  Style->SortIncludes = format::FormatStyle::SI_Never;
  auto Cleaned = format::cleanupAroundReplacements(Code, Replaces, *Style);
  if (!Cleaned)
    return Cleaned.takeError();
  return format::formatReplacements(Code, *Cleaned, *Style);
}

/// Formats the edits of one chain, file by file. Deletions of whole lines
/// (a removed handler) are kept out of formatting, which would otherwise
/// reformat the untouched line after them, unless what formatting changes
/// overlaps them.
std::vector<tooling::Replacement>
formatEdits(const std::vector<tooling::Replacement> &Edits,
            const SourceManager &SM, const AnalysisOptions &Opts,
            std::string &Error) {
  std::map<std::string, std::vector<tooling::Replacement>> ByFile;
  for (const tooling::Replacement &R : Edits)
    ByFile[R.getFilePath().str()].push_back(R);
  std::vector<tooling::Replacement> Out;
  for (auto &[Path, FileEdits] : ByFile) {
    auto FE = SM.getFileManager().getOptionalFileRef(Path);
    FileID ID = FE ? SM.translateFile(*FE) : FileID();
    std::optional<llvm::StringRef> Code =
        ID.isValid() ? SM.getBufferDataOrNone(ID) : std::nullopt;
    if (!Code) {
      Error = "no buffer for " + Path;
      return {};
    }
    tooling::Replacements All, Kept, Deleted;
    for (const tooling::Replacement &R : FileEdits) {
      unsigned B = R.getOffset(), E = B + R.getLength();
      bool WholeLines =
          R.getReplacementText().empty() && isWholeLines(*Code, B, E);
      llvm::Error Err = All.add(R);
      if (!Err)
        Err = (WholeLines ? Deleted : Kept).add(R);
      if (Err) {
        Error = llvm::toString(std::move(Err));
        return {};
      }
    }
    auto Result = formatFile(Path, *Code, Kept, Opts);
    bool Merged = bool(Result);
    if (Result)
      for (const tooling::Replacement &D : Deleted)
        if (llvm::Error Err = Result->add(D)) {
          llvm::consumeError(std::move(Err));
          Merged = false;
          break;
        }
    if (!Merged) {
      if (!Result)
        llvm::consumeError(Result.takeError());
      Result = formatFile(Path, *Code, All, Opts);
    }
    if (!Result) {
      Error = llvm::toString(Result.takeError());
      return {};
    }
    Out.insert(Out.end(), Result->begin(), Result->end());
  }
  return Out;
}

} // namespace awaitify::detail
