//===- TextOutput.cpp - Diagnostics in clang's format ---------------------===//
#include "Report.h"
#include "llvm/Support/raw_ostream.h"

namespace awaitify::cli {

static void where(llvm::raw_ostream &OS, const Location &L) {
  OS << displayPath(L.File) << ":" << L.Line << ":" << L.Column << ": ";
}

void printText(llvm::raw_ostream &OS, const Report &R, bool Explain,
               bool AsErrors) {
  for (const ChainReport &CR : R.Chains) {
    const Chain &C = CR.C;
    where(OS, C.Where);
    OS << (AsErrors ? "error" : "warning") << ": callback chain of " << C.Steps.size()
       << (C.Steps.size() == 1 ? " call" : " calls") << " (depth " << C.Depth
       << ") in '" << C.Function << "' can be rewritten with co_await"
       << " (confidence: " << C.Conf.name() << ") [" << CheckName << "]\n";
    unsigned N = 0;
    for (const ChainStep &S : C.Steps) {
      where(OS, S.Where);
      OS << "note: step " << ++N << ": '" << S.Callee
         << "' completes into this callback\n";
    }
    for (const std::string &A : C.Assumptions) {
      where(OS, C.Where);
      OS << "note: assumes: " << A << "\n";
    }
    for (const std::string &Rn : C.Renames) {
      where(OS, C.Where);
      OS << "note: " << Rn << "\n";
    }
    if (!CR.Dropped.empty()) {
      where(OS, C.Where);
      OS << "note: not rewritten: " << CR.Dropped << "\n";
    }
  }
  if (Explain)
    for (const LeftAlone &S : R.Skipped) {
      where(OS, S.Where);
      OS << "remark: left alone";
      if (!S.Function.empty())
        OS << " in '" << S.Function << "'";
      OS << ": " << S.Reason << " [" << CheckName << "]\n";
    }
}

} // namespace awaitify::cli
