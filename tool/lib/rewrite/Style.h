//===- Style.h - The style a file is written in -----------------*- C++ -*-===//
//
// Internal. Which clang-format style the rewriter's edits are formatted in.
//
// A project's .clang-format says how its files look; when there is none, the
// file itself does. Terms:
//
// - configured style: what clang-format's getStyle finds for the file (a
//   .clang-format or _clang-format in one of its folders);
// - fallback style: what the user asked for when there is none
//   (AnalysisOptions::FallbackStyle, the CLI's --fallback-style);
// - inferred style: when the user asked for nothing, the candidate style
//   under which clang-format would change the file least. A candidate is
//   LLVM style with a few settings that shape how code reads changed
//   (brace placement, indent width, tabs, column limit, alignment after a
//   bracket, access modifiers, namespace indentation, short functions and
//   lambdas, pointer alignment, ...). They are searched one setting at a
//   time (coordinate descent, twice over), and a setting other than
//   LLVM's must spare more changes than it costs, so what the file does
//   not clearly show stays LLVM's.
//
// The include layout (where an inserted #include goes) is not inferred: it
// stays LLVM's, which puts a new include after the file's own of its kind.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_REWRITE_STYLE_H
#define AWAITIFY_REWRITE_STYLE_H

#include "clang/Format/Format.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <compare>

namespace awaitify::detail {

/// The style to format edits of the file at \p Path, whose text is \p Code,
/// in: the configured style when there is one; else \p FallbackStyle (a
/// clang-format style name, "none" included) when it is not empty; else the
/// inferred style. An inferred style is computed once per path and text in
/// the process (safe to call from several threads).
llvm::Expected<clang::format::FormatStyle>
styleForFile(llvm::StringRef Path, llvm::StringRef Code,
             llvm::StringRef FallbackStyle);

/// The candidate style (see the file comment) in which \p Code is written,
/// for a file of \p Language. Not cached.
clang::format::FormatStyle
inferStyle(llvm::StringRef Code,
           clang::format::FormatStyle::LanguageKind Language =
               clang::format::FormatStyle::LK_Cpp);

/// How far a text is from a style: the places where clang-format would
/// change it to lay it out in that style, and the characters it would
/// change there. Places count first: a wrong indent width changes a
/// character or two on many lines, a misplaced brace many characters once.
struct StyleDistance {
  unsigned Changes = 0;
  unsigned Characters = 0;

  bool isZero() const { return Changes == 0; }
  friend auto operator<=>(const StyleDistance &,
                          const StyleDistance &) = default;
};

/// How far \p Code is from \p Style.
StyleDistance styleDistance(const clang::format::FormatStyle &Style,
                            llvm::StringRef Code);

} // namespace awaitify::detail

#endif
