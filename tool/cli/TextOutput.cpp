//===- TextOutput.cpp - Diagnostics in clang's format ---------------------===//
#include "Output.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace awaitify::cli {

static void where(llvm::raw_ostream &OS, const Location &L) {
  OS << displayPath(L.File) << ":" << L.Line << ":" << L.Column << ": ";
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

void printText(llvm::raw_ostream &OS, const Report &R, bool Explain,
               bool AsErrors) {
  for (const std::string &N : R.Notes)
    OS << "awaitify: note: " << N << "\n";
  for (const ChainReport &CR : R.Chains) {
    const Chain &C = CR.C;
    where(OS, C.Where);
    OS << (AsErrors ? "error" : "warning") << ": " << chainMessage(C) << " ["
       << CheckName << "]\n";
    for (const Note &N : chainNotes(C, CR.Dropped)) {
      where(OS, N.Where);
      OS << "note: " << N.Text << "\n";
    }
  }
  if (Explain)
    for (const LeftAlone &S : R.Skipped) {
      where(OS, S.Where);
      OS << "remark: " << leftAloneMessage(S) << " [" << CheckName << "]\n";
    }
}

} // namespace awaitify::cli
