//===- Confidence.cpp -----------------------------------------------------===//
#include "awaitify/Confidence.h"
#include "llvm/ADT/StringSwitch.h"

namespace awaitify {

llvm::StringRef Confidence::name() const {
  switch (Current) {
  case Risky:
    return "risky";
  case Reasonable:
    return "reasonable";
  case Safe:
    return "safe";
  }
  return "safe";
}

std::optional<Confidence> Confidence::parse(llvm::StringRef Name) {
  return llvm::StringSwitch<std::optional<Confidence>>(Name.lower())
      .Case("safe", Confidence(Safe))
      .Case("reasonable", Confidence(Reasonable))
      .Case("risky", Confidence(Risky))
      .Default(std::nullopt);
}

} // namespace awaitify
