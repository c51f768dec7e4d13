//===- Confidence.h - How sure a rewrite is ---------------------*- C++ -*-===//
//
// A rewrite starts out Safe and every assumption the analysis has to make
// lowers it: an API known only from a heuristic, a by-copy capture that the
// callee may also modify, a function whose callers live in other translation
// units. Confidence only goes down (lowerTo), so the order in which the
// analysis discovers assumptions does not matter. Front ends compare it with
// a minimum (--min-confidence, the tidy option MinConfidence).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_CONFIDENCE_H
#define AWAITIFY_CONFIDENCE_H

#include "llvm/ADT/StringRef.h"
#include <optional>

namespace awaitify {

class Confidence {
public:
  enum Level { Risky = 0, Reasonable = 1, Safe = 2 };

  constexpr Confidence(Level L = Safe) : Current(L) {}

  /// Lowers the confidence to \p L if that is lower than what it is now.
  void lowerTo(Level L) {
    if (L < Current)
      Current = L;
  }
  Level level() const { return Current; }
  bool atLeast(Confidence Min) const { return Current >= Min.Current; }

  llvm::StringRef name() const;
  /// Parses "safe", "reasonable" or "risky".
  static std::optional<Confidence> parse(llvm::StringRef Name);

  friend bool operator==(Confidence A, Confidence B) {
    return A.Current == B.Current;
  }

private:
  Level Current;
};

} // namespace awaitify

#endif
