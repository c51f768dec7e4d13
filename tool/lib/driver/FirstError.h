//===- FirstError.h - The first error of a parse ----------------*- C++ -*-===//
#ifndef AWAITIFY_DRIVER_FIRSTERROR_H
#define AWAITIFY_DRIVER_FIRSTERROR_H

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include <string>

namespace awaitify::detail {

/// Remembers the first error of a parse, in clang's one-line form
/// ("file:line:col: error: message").
class FirstError : public clang::DiagnosticConsumer {
public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < clang::DiagnosticsEngine::Error || !Message.empty())
      return;
    llvm::SmallString<128> Text;
    Info.FormatDiagnostic(Text);
    std::string Where;
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      clang::PresumedLoc P =
          Info.getSourceManager().getPresumedLoc(Info.getLocation());
      if (P.isValid())
        Where = std::string(P.getFilename()) + ":" +
                std::to_string(P.getLine()) + ":" +
                std::to_string(P.getColumn()) + ": ";
    }
    Message = Where + "error: " + std::string(Text);
  }
  std::string Message;
};

} // namespace awaitify::detail

#endif
