//===- Chain.h - The chain model and the analysis entry point ---*- C++ -*-===//
//
// Terms (docs/guide.md has them for users):
//
//  completion API  a function that takes a callback, calls it exactly once
//                  when the operation ends and keeps no copy of it after
//                  that (Rules.h says which ones are).
//  continuation    the callback passed to a completion API; here, a lambda
//                  written at the call.
//  tail position   nothing in the enclosing frame runs after the call: it is
//                  the last statement of a block that is itself in tail
//                  position, or is followed only by `return;`. Code after a
//                  non-tail call runs before its callback does, so only tail
//                  calls become `co_await` without reordering anything.
//  step            a completion call in tail position whose continuation is a
//                  lambda that can be flattened into the enclosing frame.
//  chain           the steps of one function: a tree, because an if/else
//                  inside a continuation may continue with a different call
//                  in each arm. Its depth is the longest path.
//  beside          an operation the function starts before its chain, not
//                  in tail position, whose callback starts nothing more (a
//                  watchdog): a dialect that spawns coroutines (Asio) runs
//                  it in a coroutine of its own, spawned where the call was.
//                  It is listed as the chain's first step.
//
// The analysis turns one translation unit into plain structs: the chains it
// can rewrite (with the edits, already formatted), and the places it looked
// at and left alone (with the reason). Front ends never look at the AST again,
// except to turn a Location back into a clang::SourceLocation while it is
// alive (clang-tidy, clangd).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_CHAIN_H
#define AWAITIFY_CHAIN_H

#include "awaitify/Confidence.h"
#include "awaitify/Rules.h"
#include "clang/Basic/SourceLocation.h"
#include "clang/Tooling/Core/Replacement.h"
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class FunctionDecl;
class Preprocessor;
} // namespace clang

namespace awaitify {

/// A point in a file: plain data, plus the SourceLocation while the AST lives.
struct Location {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  unsigned Offset = 0;
  clang::SourceLocation Loc;
};

struct ChainStep {
  Location Where;     ///< the completion call
  std::string Callee; ///< its qualified name
  unsigned Depth = 1; ///< 1 for a call in the function itself
};

struct Chain {
  std::string Function; ///< qualified name of the function that is rewritten
  Location Where;        ///< the first completion call (where to warn)
  Location FunctionWhere;
  std::vector<ChainStep> Steps;
  unsigned Depth = 0; ///< longest path of nested steps
  Confidence Conf;
  /// Each assumption that lowered the confidence, as a sentence.
  std::vector<std::string> Assumptions;
  /// Names introduced by flattening that had to be renamed ("'ec' -> 'ec2'").
  std::vector<std::string> Renames;
  /// The rewritten code includes awaitify's runtime (<awaitify/detached.hpp>,
  /// <awaitify/from_callback.hpp>).
  bool NeedsRuntime = false;
  /// The rewrite: formatted edits, possibly in several files (a header that
  /// declares the function changes too), including the runtime #include.
  std::vector<clang::tooling::Replacement> Edits;
};

/// A completion call, or a function, that was looked at and left alone.
struct LeftAlone {
  Location Where;
  std::string Function;
  std::string Reason;
};

struct AnalysisOptions {
  /// A chain shorter than this (in nesting depth) is not reported: a single
  /// callback is not a pyramid.
  unsigned MinDepth = 2;
  /// Chains below this confidence are reported as left alone.
  Confidence MinConfidence = Confidence::Reasonable;
  /// Spell out each chain's rewrite (Chain::Edits). A front end that only
  /// reports findings can skip that work.
  bool ComputeEdits = true;
  /// Format the edits with the file's .clang-format (the style the file is
  /// written in when there is none).
  bool Format = true;
  /// clang-format style used when no .clang-format is found ("LLVM",
  /// "none", ...). Empty: the style the file is written in, inferred from
  /// its text (docs/guide.md).
  std::string FallbackStyle;
};

struct AnalysisResult {
  std::vector<Chain> Chains;
  std::vector<LeftAlone> Skipped;
  /// What the whole translation unit's build needs to know, each once (a
  /// flag its build lacks for a library's coroutines).
  std::vector<std::string> Notes;
};

/// Finds and rewrites the callback chains of every function in the
/// translation unit that is not in a system header. \p PP, when given, is
/// the translation unit's preprocessor: a library's version macros (read by
/// its dialect) decide how sure some rewrites are; without it the oldest
/// version is assumed.
AnalysisResult analyzeTranslationUnit(clang::ASTContext &Ctx,
                                      const RuleSet &Rules,
                                      const AnalysisOptions &Opts,
                                      const clang::Preprocessor *PP = nullptr);

} // namespace awaitify

#endif
