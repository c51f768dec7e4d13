//===- Messages.h - How awaitify words a chain ------------------*- C++ -*-===//
//
// The one wording of a chain's diagnostic and its notes, shared by the text,
// JSON, SARIF and export-fixes outputs and by the clang-tidy check (and so
// clangd).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_MESSAGES_H
#define AWAITIFY_MESSAGES_H

#include "awaitify/Chain.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace awaitify {

/// The name of the check, as clang-tidy and the outputs print it.
inline constexpr llvm::StringLiteral CheckName = "awaitify-callback-chain";

/// "callback chain of N calls (depth D) in 'f' can be rewritten with
/// co_await (confidence: C)".
std::string chainMessage(const Chain &C);
/// "step N: 'callee' completes into this callback".
std::string stepMessage(unsigned N, const ChainStep &S);

struct Note {
  Location Where;
  std::string Text;
};
/// The notes of a chain: one per step, per assumption and per rename, and,
/// when \p Dropped is not empty, why it was not rewritten.
std::vector<Note> chainNotes(const Chain &C, llvm::StringRef Dropped = "");

/// The remark for a place left alone: "left alone in 'f': reason".
std::string leftAloneMessage(const LeftAlone &S);

} // namespace awaitify

#endif
