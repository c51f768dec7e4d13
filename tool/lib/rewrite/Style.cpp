//===- Style.cpp - The style a file is written in -------------------------===//
#include "rewrite/Style.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/xxhash.h"
#include <functional>
#include <future>
#include <iterator>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>
#include <vector>

using namespace clang;
using format::FormatStyle;

namespace awaitify::detail {

namespace {

/// Where `public:` and the like go, relative to the members they label.
enum class AccessModifiers {
  Outdented,     ///< one level out: flush with the `class` line
  HalfOutdented, ///< half a level out (Google's one space with two)
  Aligned,       ///< at the members' level
  Indented,      ///< one level in from `class`, members one more
};

/// How a file indents with tabs.
enum class Tabs {
  Never,
  PerLevel,       ///< a tab per level (of IndentWidth columns) and spaces
                  ///< to align
  PerLevelAlways, ///< tabs wherever they fill, a tab a level
  EightColumns,   ///< tabs of eight columns wherever they fill (GNU's)
};

/// One candidate style: the settings searched, LLVM's to start with.
/// Everything else is LLVM's.
struct Candidate {
  unsigned IndentWidth = 2;
  Tabs UseTab = Tabs::Never;
  FormatStyle::BraceBreakingStyle Braces = FormatStyle::BS_Attach;
  FormatStyle::LambdaBodyIndentationKind LambdaBodies =
      FormatStyle::LBI_Signature;
  FormatStyle::ShortLambdaStyle ShortLambdas = FormatStyle::SLS_All;
  FormatStyle::BracketAlignmentStyle Brackets = FormatStyle::BAS_Align;
  unsigned ColumnLimit = 80;
  unsigned ContinuationIndent = 4;
  AccessModifiers Access = AccessModifiers::Outdented;
  FormatStyle::NamespaceIndentationKind Namespaces = FormatStyle::NI_None;
  bool IndentCaseLabels = false;
  FormatStyle::ShortFunctionStyle ShortFunctions = FormatStyle::SFS_All;
  FormatStyle::ShortIfStyle ShortIfs = FormatStyle::SIS_Never;
  bool BinPack = true;
  unsigned SpacesBeforeTrailingComments = 1;
  FormatStyle::PointerAlignmentStyle Pointers = FormatStyle::PAS_Right;
  FormatStyle::SpaceBeforeParensStyle Parens =
      FormatStyle::SBPO_ControlStatements;

  auto key() const {
    return std::tuple(IndentWidth, UseTab, Braces, LambdaBodies, ShortLambdas,
                      Brackets, ColumnLimit, ContinuationIndent, Access,
                      Namespaces, IndentCaseLabels, ShortFunctions, ShortIfs,
                      BinPack, SpacesBeforeTrailingComments, Pointers, Parens);
  }
  bool operator<(const Candidate &Other) const { return key() < Other.key(); }

  /// What departing from LLVM style costs: the changes each setting that
  /// differs must spare (see fitOf).
  unsigned departureCost() const {
    return cost(key(), Candidate().key(),
                std::make_index_sequence<std::tuple_size_v<decltype(key())>>());
  }

private:
  /// Per setting, in key() order: layout settings (indents, braces)
  /// show on many lines, line breaking settings on a few long ones, often
  /// in code laid out by hand (a handler lambda on a line of its own), and
  /// change how every long line the rewrite writes is broken.
  static constexpr unsigned Layout = 3, LineBreaking = 6;
  static constexpr unsigned Costs[] = {
      /*IndentWidth=*/Layout,
      /*UseTab=*/Layout,
      /*Braces=*/Layout,
      /*LambdaBodies=*/Layout,
      /*ShortLambdas=*/LineBreaking,
      /*Brackets=*/LineBreaking,
      /*ColumnLimit=*/LineBreaking,
      /*ContinuationIndent=*/LineBreaking,
      /*Access=*/Layout,
      /*Namespaces=*/Layout,
      /*IndentCaseLabels=*/Layout,
      /*ShortFunctions=*/Layout,
      /*ShortIfs=*/Layout,
      /*BinPack=*/LineBreaking,
      /*SpacesBeforeTrailingComments=*/Layout,
      /*Pointers=*/Layout,
      /*Parens=*/Layout};

  template <typename Tuple, size_t... I>
  static unsigned cost(const Tuple &A, const Tuple &B,
                       std::index_sequence<I...>) {
    static_assert(sizeof...(I) == std::size(Costs));
    return ((std::get<I>(A) != std::get<I>(B) ? Costs[I] : 0u) + ... + 0u);
  }
};

FormatStyle toStyle(const Candidate &C, FormatStyle::LanguageKind Language) {
  FormatStyle S = format::getLLVMStyle(Language);
  S.IndentWidth = C.IndentWidth;
  switch (C.UseTab) {
  case Tabs::Never:
    S.UseTab = FormatStyle::UT_Never;
    break;
  case Tabs::PerLevel:
    S.UseTab = FormatStyle::UT_ForIndentation;
    S.TabWidth = C.IndentWidth;
    break;
  case Tabs::PerLevelAlways:
    S.UseTab = FormatStyle::UT_Always;
    S.TabWidth = C.IndentWidth;
    break;
  case Tabs::EightColumns:
    S.UseTab = FormatStyle::UT_Always;
    S.TabWidth = 8;
    break;
  }
  S.BreakBeforeBraces = C.Braces;
  S.LambdaBodyIndentation = C.LambdaBodies;
  S.AllowShortLambdasOnASingleLine = C.ShortLambdas;
  S.AlignAfterOpenBracket = C.Brackets;
  S.ColumnLimit = C.ColumnLimit;
  S.ContinuationIndentWidth = C.ContinuationIndent;
  int Level = static_cast<int>(C.IndentWidth);
  S.IndentAccessModifiers = C.Access == AccessModifiers::Indented;
  switch (C.Access) {
  case AccessModifiers::Outdented:
    S.AccessModifierOffset = -Level;
    break;
  case AccessModifiers::HalfOutdented:
    S.AccessModifierOffset = -Level / 2;
    break;
  case AccessModifiers::Aligned:
  case AccessModifiers::Indented:
    S.AccessModifierOffset = 0;
    break;
  }
  S.NamespaceIndentation = C.Namespaces;
  S.IndentCaseLabels = C.IndentCaseLabels;
  S.AllowShortFunctionsOnASingleLine = C.ShortFunctions;
  S.AllowShortIfStatementsOnASingleLine = C.ShortIfs;
  S.BinPackArguments = C.BinPack;
  S.BinPackParameters = C.BinPack;
  S.SpacesBeforeTrailingComments = C.SpacesBeforeTrailingComments;
  S.PointerAlignment = C.Pointers;
  S.SpaceBeforeParens = C.Parens;
  return S;
}

/// \p C with \p Field set to each of \p Values in turn.
template <typename T, size_t N>
std::vector<Candidate> vary(const Candidate &C, T Candidate::*Field,
                            const T (&Values)[N]) {
  std::vector<Candidate> Out;
  for (const T &V : Values) {
    Candidate D = C;
    D.*Field = V;
    Out.push_back(D);
  }
  return Out;
}

/// One step of the search: the candidates that differ from the best so far
/// in one setting (or two that only fit together).
using Dimension = std::function<std::vector<Candidate>(const Candidate &)>;

/// The settings searched, the ones that shape a file most first. Tabs are
/// searched only in a file that indents a line with one.
std::vector<Dimension> dimensions(bool HasTabs) {
  std::vector<Dimension> Out;
  Dimension Indent = [](const Candidate &C) {
    static constexpr unsigned Widths[] = {2, 4, 3, 8};
    return vary(C, &Candidate::IndentWidth, Widths);
  };
  Out.push_back(Indent);
  if (HasTabs)
    Out.push_back([](const Candidate &C) {
      static constexpr Tabs Kinds[] = {Tabs::Never, Tabs::PerLevel,
                                       Tabs::PerLevelAlways,
                                       Tabs::EightColumns};
      return vary(C, &Candidate::UseTab, Kinds);
    });
  Out.push_back([](const Candidate &C) {
    static constexpr FormatStyle::ShortLambdaStyle Lambdas[] = {
        FormatStyle::SLS_All, FormatStyle::SLS_None, FormatStyle::SLS_Inline};
    return vary(C, &Candidate::ShortLambdas, Lambdas);
  });
  // Allman wraps a lambda's braces too, and where the lambda and its body
  // go then decides whether the file fits: that brace style is tried with
  // both lambda body indentations, aligned after an open bracket and not
  // (both searched on their own as well). Whitesmiths is left out:
  // clang-format 19 takes seconds to lay out some files in it.
  Out.push_back([](const Candidate &C) {
    static constexpr FormatStyle::BraceBreakingStyle Braces[] = {
        FormatStyle::BS_Attach,  FormatStyle::BS_Allman,
        FormatStyle::BS_Linux,   FormatStyle::BS_Stroustrup,
        FormatStyle::BS_Mozilla, FormatStyle::BS_WebKit,
        FormatStyle::BS_GNU};
    static constexpr FormatStyle::LambdaBodyIndentationKind Bodies[] = {
        FormatStyle::LBI_Signature, FormatStyle::LBI_OuterScope};
    static constexpr FormatStyle::BracketAlignmentStyle Brackets[] = {
        FormatStyle::BAS_Align, FormatStyle::BAS_DontAlign};
    std::vector<Candidate> Out = vary(C, &Candidate::Braces, Braces);
    Candidate Allman = C;
    Allman.Braces = FormatStyle::BS_Allman;
    for (const Candidate &B : vary(Allman, &Candidate::LambdaBodies, Bodies))
      for (const Candidate &D : vary(B, &Candidate::Brackets, Brackets))
        Out.push_back(D);
    return Out;
  });
  // Lines whose braces moved were indented anew: the indent width is told
  // again once the braces are where the file has them.
  Out.push_back(Indent);
  Out.push_back([](const Candidate &C) {
    static constexpr FormatStyle::LambdaBodyIndentationKind Bodies[] = {
        FormatStyle::LBI_Signature, FormatStyle::LBI_OuterScope};
    return vary(C, &Candidate::LambdaBodies, Bodies);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr FormatStyle::BracketAlignmentStyle Brackets[] = {
        FormatStyle::BAS_Align, FormatStyle::BAS_DontAlign,
        FormatStyle::BAS_AlwaysBreak, FormatStyle::BAS_BlockIndent};
    return vary(C, &Candidate::Brackets, Brackets);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr unsigned Limits[] = {80, 100, 120};
    return vary(C, &Candidate::ColumnLimit, Limits);
  });
  Out.push_back([](const Candidate &C) {
    // In columns, not levels: a continuation stays where it is when the
    // indent width changes.
    const unsigned Indents[] = {4, 2 * C.IndentWidth, C.IndentWidth, 8};
    return vary(C, &Candidate::ContinuationIndent, Indents);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr AccessModifiers Access[] = {
        AccessModifiers::Outdented, AccessModifiers::HalfOutdented,
        AccessModifiers::Aligned, AccessModifiers::Indented};
    return vary(C, &Candidate::Access, Access);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr FormatStyle::NamespaceIndentationKind Namespaces[] = {
        FormatStyle::NI_None, FormatStyle::NI_Inner, FormatStyle::NI_All};
    return vary(C, &Candidate::Namespaces, Namespaces);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr bool Indent[] = {false, true};
    return vary(C, &Candidate::IndentCaseLabels, Indent);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr FormatStyle::ShortFunctionStyle Functions[] = {
        FormatStyle::SFS_All, FormatStyle::SFS_Inline, FormatStyle::SFS_Empty,
        FormatStyle::SFS_None};
    return vary(C, &Candidate::ShortFunctions, Functions);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr FormatStyle::ShortIfStyle Ifs[] = {
        FormatStyle::SIS_Never, FormatStyle::SIS_WithoutElse};
    return vary(C, &Candidate::ShortIfs, Ifs);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr bool BinPack[] = {true, false};
    return vary(C, &Candidate::BinPack, BinPack);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr unsigned Spaces[] = {1, 2};
    return vary(C, &Candidate::SpacesBeforeTrailingComments, Spaces);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr FormatStyle::PointerAlignmentStyle Pointers[] = {
        FormatStyle::PAS_Right, FormatStyle::PAS_Left};
    return vary(C, &Candidate::Pointers, Pointers);
  });
  Out.push_back([](const Candidate &C) {
    static constexpr FormatStyle::SpaceBeforeParensStyle Parens[] = {
        FormatStyle::SBPO_ControlStatements, FormatStyle::SBPO_Always};
    return vary(C, &Candidate::Parens, Parens);
  });
  return Out;
}

/// A file indents with tabs when a line starts with one.
bool indentsWithTabs(llvm::StringRef Code) {
  return Code.starts_with("\t") || Code.contains("\n\t");
}

/// How well a candidate fits: its distance, with each setting that
/// departs from LLVM style counted as a few changes more. A setting other
/// than LLVM's is taken only where it spares more changes than that: a
/// file that departs from LLVM style in a place or two (a call laid out by
/// hand, a line too long) stays in LLVM style.
/// On a tie the candidate nearer LLVM style wins, then the one that
/// changes fewer characters.
struct Fit {
  unsigned Changes = 0;
  unsigned Departures = 0;
  unsigned Characters = 0;
  friend auto operator<=>(const Fit &, const Fit &) = default;
};

Fit fitOf(const Candidate &C, const StyleDistance &D) {
  unsigned Cost = C.departureCost();
  return {D.Changes + Cost, Cost, D.Characters};
}

/// Searches are repeated while they improve, at most this often: a second
/// pass catches a setting that fits only once another has changed.
constexpr unsigned MaxPasses = 2;

/// What a style is judged on: the file's first SampleSize bytes, to the end
/// of a line. Formatting reads a whole text, however little of it changes,
/// and every candidate formats it again.
constexpr size_t SampleSize = 8 * 1024;

llvm::StringRef sample(llvm::StringRef Code) {
  if (Code.size() <= SampleSize)
    return Code;
  size_t End = Code.find('\n', SampleSize);
  return End == llvm::StringRef::npos ? Code : Code.take_front(End + 1);
}

/// Inferred styles, per path, text and language, for the whole process.
/// The first thread to ask computes; others asking meanwhile wait for it.
class InferredStyles {
public:
  FormatStyle get(llvm::StringRef Path, llvm::StringRef Code,
                  FormatStyle::LanguageKind Language) {
    Key K(Path.str(), llvm::xxh3_64bits(Code), Code.size(), Language);
    std::promise<FormatStyle> Promise;
    std::shared_future<FormatStyle> Result;
    bool Compute = false;
    {
      std::lock_guard<std::mutex> Lock(Mutex);
      auto [It, New] = Styles.try_emplace(K);
      if (New) {
        It->second = Promise.get_future().share();
        Compute = true;
      }
      Result = It->second;
    }
    if (Compute)
      Promise.set_value(inferStyle(Code, Language));
    return Result.get();
  }

private:
  using Key =
      std::tuple<std::string, uint64_t, size_t, FormatStyle::LanguageKind>;
  std::mutex Mutex;
  std::map<Key, std::shared_future<FormatStyle>> Styles;
};

InferredStyles &inferredStyles() {
  static InferredStyles Cache;
  return Cache;
}

} // namespace

StyleDistance styleDistance(const FormatStyle &Style, llvm::StringRef Code) {
  // Only the layout of code counts: passes that add or reorder tokens
  // (namespace end comments, sorted using-declarations, braces) are not
  // the file's layout, and the rewrite's formatting runs them on its own
  // lines anyway. Comments are left as they are: a long one (a URL, a
  // command line) says nothing about the column limit of the code.
  FormatStyle Layout = Style;
  Layout.ReflowComments = false;
  Layout.FixNamespaceComments = false;
  Layout.SortIncludes = FormatStyle::SI_Never;
  Layout.SortUsingDeclarations = FormatStyle::SUD_Never;
  Layout.InsertBraces = false;
  Layout.RemoveBracesLLVM = false;
  Layout.RemoveParentheses = FormatStyle::RPS_Leave;
  Layout.RemoveSemicolon = false;
  Layout.QualifierAlignment = FormatStyle::QAS_Leave;
  Layout.SeparateDefinitionBlocks = FormatStyle::SDS_Leave;
  Layout.InsertNewlineAtEOF = false;
  tooling::Replacements Changes = format::reformat(
      Layout, Code, {tooling::Range(0, static_cast<unsigned>(Code.size()))});
  StyleDistance D;
  D.Changes = Changes.size();
  // Whitespace changes are short: count the characters that differ. A long
  // replacement (a reflowed comment) counts all it removes and inserts.
  constexpr size_t Short = 64;
  for (const tooling::Replacement &R : Changes) {
    llvm::StringRef Old = Code.substr(R.getOffset(), R.getLength());
    llvm::StringRef New = R.getReplacementText();
    if (Old.size() <= Short && New.size() <= Short)
      D.Characters += Old.edit_distance(New, /*AllowReplacements=*/true);
    else
      D.Characters += Old.size() + New.size();
  }
  return D;
}

FormatStyle inferStyle(llvm::StringRef Code,
                       FormatStyle::LanguageKind Language) {
  llvm::StringRef Sample = sample(Code);
  std::map<Candidate, StyleDistance> Distances;
  auto DistanceOf = [&](const Candidate &C) {
    auto [It, New] = Distances.try_emplace(C);
    if (New)
      It->second = styleDistance(toStyle(C, Language), Sample);
    return It->second;
  };
  Candidate Best;
  FormatStyle BestStyle = toStyle(Best, Language);
  StyleDistance BestDistance = DistanceOf(Best);
  Fit BestFit = fitOf(Best, BestDistance);
  std::vector<Dimension> Dimensions = dimensions(indentsWithTabs(Sample));
  for (unsigned Pass = 0; Pass < MaxPasses && !BestDistance.isZero(); ++Pass) {
    bool Improved = false;
    for (const Dimension &D : Dimensions) {
      for (const Candidate &C : D(Best)) {
        // Two settings may spell one style (continuation indents of one
        // level and of four columns, with four-column levels).
        FormatStyle Style = toStyle(C, Language);
        if (Style == BestStyle)
          continue;
        StyleDistance Distance = DistanceOf(C);
        Fit CFit = fitOf(C, Distance);
        if (CFit < BestFit) {
          Best = C;
          BestStyle = std::move(Style);
          BestDistance = Distance;
          BestFit = CFit;
          Improved = true;
        }
      }
      if (BestDistance.isZero())
        break;
    }
    if (!Improved)
      break;
  }
  return BestStyle;
}

llvm::Expected<FormatStyle> styleForFile(llvm::StringRef Path,
                                         llvm::StringRef Code,
                                         llvm::StringRef FallbackStyle) {
  if (!FallbackStyle.empty())
    return format::getStyle(format::DefaultFormatStyle, Path, FallbackStyle,
                            Code);
  // getStyle gives its fallback when it finds no configuration file. Only
  // "none" disables formatting, unless a configuration file does too:
  // asked again with LLVM as the fallback, such a file still does.
  auto Configured =
      format::getStyle(format::DefaultFormatStyle, Path, "none", Code);
  if (!Configured || !Configured->DisableFormat)
    return Configured;
  auto Unconfigured =
      format::getStyle(format::DefaultFormatStyle, Path, "LLVM", Code);
  if (!Unconfigured || Unconfigured->DisableFormat)
    return Unconfigured;
  return inferredStyles().get(Path, Code, Unconfigured->Language);
}

} // namespace awaitify::detail
