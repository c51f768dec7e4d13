//===- ExportFixes.cpp - The rewrite in clang-tidy's fixes YAML -----------===//
//
// `--export-fixes=FILE` writes what `awaitify fix` would write, in the YAML
// that `clang-tidy --export-fixes` writes and `clang-apply-replacements`
// reads (clang::tooling::TranslationUnitDiagnostics): one diagnostic per
// chain, named awaitify-callback-chain, with its steps as notes and its
// edits as replacements. Paths are absolute, and the diagnostics' build
// directory is the working directory; in portable output (--shard,
// --path-prefix, `awaitify merge`) paths are relative to the base and the
// build directory is the base as seen from the working directory, so that
// clang-apply-replacements run there finds the files on any machine.
//
// Only the edits `fix` keeps are exported, each once: a header edit seen from
// two translation units, or the runtime #include that two chains of one file
// both add, is attached to the first chain that needs it --
// clang-apply-replacements would otherwise apply it twice (it removes
// duplicates between translation units, not within one). A chain that was
// dropped (a conflict, or a rewrite that did not compile) is exported with a
// note saying why and no replacements.
//
//===----------------------------------------------------------------------===//
#include "Output.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <set>
#include <tuple>

namespace awaitify::cli {

static clang::tooling::DiagnosticMessage message(std::string Text,
                                                 const Location &L) {
  clang::tooling::DiagnosticMessage M;
  M.Message = std::move(Text);
  M.FilePath = L.File;
  M.FileOffset = L.Offset;
  return M;
}

llvm::Error printExportFixes(llvm::raw_ostream &OS, const Report &R,
                             bool WarningsAsErrors,
                             llvm::StringRef BuildDirectory) {
  llvm::SmallString<256> Cwd(BuildDirectory);
  if (BuildDirectory.empty())
    if (std::error_code EC = llvm::sys::fs::current_path(Cwd))
      return llvm::createStringError(EC, "cannot find the working directory");

  clang::tooling::TranslationUnitDiagnostics Doc;
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Exported;
  for (const ChainReport &CR : R.Chains) {
    const Chain &C = CR.C;
    clang::tooling::Diagnostic D(
        CheckName,
        WarningsAsErrors ? clang::tooling::Diagnostic::Error
                         : clang::tooling::Diagnostic::Warning,
        Cwd);
    D.Message = message(chainMessage(C), C.Where);
    // File by file, in order: the YAML lists them in the order they went in.
    std::vector<clang::tooling::Replacement> Edits = C.Edits;
    llvm::sort(Edits, [](const auto &A, const auto &B) {
      return std::make_tuple(A.getFilePath(), A.getOffset(), A.getLength(),
                             A.getReplacementText()) <
             std::make_tuple(B.getFilePath(), B.getOffset(), B.getLength(),
                             B.getReplacementText());
    });
    if (CR.Dropped.empty())
      for (const clang::tooling::Replacement &E : Edits) {
        if (!Exported
                 .insert({E.getFilePath().str(), E.getOffset(), E.getLength(),
                          E.getReplacementText().str()})
                 .second)
          continue;
        if (llvm::Error Err = D.Message.Fix[E.getFilePath()].add(E))
          return llvm::createStringError(
              llvm::inconvertibleErrorCode(),
              "the edits of '" + C.Function +
                  "' overlap: " + llvm::toString(std::move(Err)));
      }
    for (const Note &N : chainNotes(C, CR.Dropped))
      D.Notes.push_back(message(N.Text, N.Where));
    Doc.Diagnostics.push_back(std::move(D));
  }
  if (!R.Chains.empty())
    Doc.MainSourceFile = R.Chains.front().C.Where.File;

  llvm::yaml::Output YAML(OS);
  YAML << Doc;
  return llvm::Error::success();
}

llvm::Error writeExportFixes(llvm::StringRef Path, const Report &R,
                             bool WarningsAsErrors,
                             llvm::StringRef BuildDirectory) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_Text);
  if (EC)
    return llvm::createStringError(EC, "cannot write '" + Path + "': " +
                                           EC.message());
  return printExportFixes(OS, R, WarningsAsErrors, BuildDirectory);
}

} // namespace awaitify::cli
