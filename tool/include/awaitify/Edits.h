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
/// The lines they add are in \p Before's line ending, as `fix` writes them
/// (inLineEndingOf).
std::string unifiedDiff(llvm::StringRef Path, llvm::StringRef Before,
                        const clang::tooling::Replacements &Edits,
                        unsigned Context = 3);

/// The line ending of \p Text: "\r\n" when its first line ends with one,
/// else "\n" (also for text of a single line).
llvm::StringRef lineEndingOf(llvm::StringRef Text);

/// \p Edits of the file whose text is \p Original, with every line break
/// their texts write in the file's line ending (lineEndingOf): the rewrite
/// produces "\n", and a CRLF file stays CRLF. A file that mixes both
/// follows its first line. The text outside the edits is not touched.
clang::tooling::Replacements
inLineEndingOf(llvm::StringRef Original,
               const clang::tooling::Replacements &Edits);

/// Whether no one may write \p Path by its permission bits (`chmod a-w`, a
/// file a version control system checked out read-only). `fix` leaves such
/// a file alone even when it could replace it (as root, who may write any
/// file). False when \p Path does not exist.
bool isReadOnly(llvm::StringRef Path);

/// Writes \p Contents to \p Path through a temporary file and a rename, so
/// that a reader never sees a half-written file. A file that exists keeps
/// its permission bits (and, when the system allows it, its owner and
/// group); a symbolic link stays one, and the file it names is written.
llvm::Error writeFileAtomically(llvm::StringRef Path,
                                llvm::StringRef Contents);

} // namespace awaitify

#endif
