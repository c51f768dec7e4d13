//===- Format.h - The edits in the file's style -----------------*- C++ -*-===//
//
// Internal. The rewriter's edits are unformatted; clang-format's include
// insertion and formatting of the changed lines make them read as the file
// does (its .clang-format, else AnalysisOptions::FallbackStyle, else the
// style it is written in: Style.h).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_REWRITE_FORMAT_H
#define AWAITIFY_REWRITE_FORMAT_H

#include "awaitify/Chain.h"
#include "clang/Tooling/Core/Replacement.h"
#include <vector>

namespace awaitify::detail {

/// Formats the edits of one chain, file by file. Deletions of whole lines
/// (a removed handler) are kept out of formatting, which would otherwise
/// reformat the untouched line after them, unless what formatting changes
/// overlaps them. On failure \p Error says why.
std::vector<clang::tooling::Replacement>
formatEdits(const std::vector<clang::tooling::Replacement> &Edits,
            const clang::SourceManager &SM, const AnalysisOptions &Opts,
            std::string &Error);

} // namespace awaitify::detail

#endif
