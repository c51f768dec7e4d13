//===- Edits.h - Edits of a whole run ---------------------------*- C++ -*-===//
//
// A run over many translation units produces edits per chain; a header seen
// from several translation units gets the same edit from each. An EditSet
// keeps each identical edit once and refuses a chain whose edits overlap a
// different edit already accepted (a conflict, reported and not applied).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_EDITS_H
#define AWAITIFY_EDITS_H

#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/Error.h"
#include <map>
#include <set>
#include <string>
#include <vector>

namespace awaitify {

class EditSet {
public:
  enum class AddResult { Added, Duplicate, Conflict };
  /// Adds the edits of one chain, all or nothing. A chain all of whose edits
  /// are already present is a Duplicate (the same chain seen from another
  /// translation unit).
  AddResult addChain(const std::vector<clang::tooling::Replacement> &Edits,
                     std::string *Why = nullptr);
  const std::map<std::string, clang::tooling::Replacements> &files() const {
    return Files;
  }
  bool empty() const { return Files.empty(); }

private:
  std::map<std::string, clang::tooling::Replacements> Files;
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Seen;
};

/// A unified diff of \p Before and the result of \p Edits on it, built from
/// the edits themselves (the changed lines are exactly those they touch).
std::string unifiedDiff(llvm::StringRef Path, llvm::StringRef Before,
                        const clang::tooling::Replacements &Edits,
                        unsigned Context = 3);

/// Writes \p Contents to \p Path through a temporary file and a rename, so
/// that a reader never sees a half-written file.
llvm::Error writeFileAtomically(llvm::StringRef Path,
                                llvm::StringRef Contents);

} // namespace awaitify

#endif
