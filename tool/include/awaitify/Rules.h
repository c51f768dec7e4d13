//===- Rules.h - Which APIs are completion APIs -----------------*- C++ -*-===//
//
// A completion API is a function or method that takes a callback and calls
// it exactly once when the operation ends. awaitify never guesses that from a
// name: it is told, by rule files (YAML, see docs/rules.md) or by an in-source
// marker on the declaration, [[clang::annotate("awaitify::completion")]].
//
//   apis:
//     - name: svc::fetch          # qualified name, every overload
//     - name: svc::Store::get
//       callback: last            # the callback parameter: `last` or an index
//     - name: svc::Queue::pop
//       completes: later          # never calls back before it returns
//     - name: "**::*::Stub::async::*"   # a name pattern (below)
//
// A RuleSet merges any number of rule files; a later rule for the same name
// replaces an earlier one, so a project's .awaitify.yaml can override the
// shipped rules.
//
// A name pattern stands for names no file can list, such as the classes a
// code generator makes per service (gRPC's `Stub::async` in each service's
// class). Its components are separated by `::` like a name's: `*` stands
// for exactly one component of the name, `**` for zero or more, and any
// other component for itself. `*` and `**` are whole components (no
// `async_*`), and a pattern has at least one component of its own. A name
// is looked up exactly first; only when no rule has that name are the
// patterns tried, the one added last first (so a later file overrides a
// pattern as it overrides a name, and an exact rule overrides any pattern).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_RULES_H
#define AWAITIFY_RULES_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace awaitify {

struct ApiRule {
  /// The qualified name; in a rule as read, a name pattern when it has a `*`
  /// (see isNamePattern). A rule that lookup() found through a pattern has
  /// the name looked up.
  std::string Name;
  /// The pattern through which lookup() found this rule, else empty.
  std::string Pattern;
  /// Index of the callback parameter; std::nullopt means the last argument.
  std::optional<unsigned> CallbackIndex;
  /// The dialect that awaits a call of the API (`await:` in the file):
  /// "generic" (`co_await awaitify::from_callback<Ts...>(...)`) or "asio"
  /// (`co_await op(..., asio::redirect_error(asio::use_awaitable, ec))` in
  /// a spawned `asio::awaitable<void>`).
  std::string Await = "generic";
  /// The API never calls its callback before it returns (not inline, not on
  /// a thread it waits for): `completes: later`, and every operation of a
  /// dialect whose operations all complete later (Asio's).
  bool CompletesLater = false;
  /// The rule file this came from ("<annotation>" for in-source markers).
  std::string Origin;
};

/// The marker that makes a declaration a completion API in source; the
/// second one also says that it completes later (`completes: later`).
inline constexpr llvm::StringLiteral CompletionAnnotation =
    "awaitify::completion";
inline constexpr llvm::StringLiteral LaterCompletionAnnotation =
    "awaitify::completion_later";

/// The name of the per-project rule file found next to a source file or in
/// one of its parents.
inline constexpr llvm::StringLiteral ProjectRuleFileName = ".awaitify.yaml";

class RuleSet {
public:
  /// Reads a rule file and adds its rules. The error names the file and, for
  /// a malformed file, the line and column.
  llvm::Error addFile(llvm::StringRef Path);
  /// Parses rules from text; \p Origin names the text in errors.
  llvm::Error addText(llvm::StringRef Text, llvm::StringRef Origin);
  void add(ApiRule Rule);
  void merge(const RuleSet &Other);

  /// The rule for a qualified name (as produced by qualifiedCalleeName): the
  /// rule of that exact name, else the last added pattern that matches it
  /// (a copy named \p QualifiedName, valid until the set changes). Safe to
  /// call from several threads at once.
  const ApiRule *lookup(llvm::StringRef QualifiedName) const;
  /// A rule whose name's last component is \p Member (`async_read_some`),
  /// for what a template's dependent call may turn out to be; or null.
  const ApiRule *lookupMember(llvm::StringRef Member) const;
  bool empty() const { return Index.empty(); }
  size_t size() const { return Index.size(); }
  const std::vector<std::string> &files() const { return Files; }

private:
  std::vector<ApiRule> Rules;
  llvm::StringMap<size_t> Index;
  /// Indices into Rules of the patterns, in the order they were last added.
  std::vector<size_t> Patterns;
  /// What lookup() found through a pattern, per name (nullptr: nothing).
  /// A copy of the set starts with an empty one.
  struct MatchCache {
    MatchCache() = default;
    MatchCache(const MatchCache &) {}
    MatchCache &operator=(const MatchCache &);
    void clear();
    std::mutex Lock;
    llvm::StringMap<std::unique_ptr<ApiRule>> Found;
  };
  mutable MatchCache Matched;
  std::vector<std::string> Files;
};

/// Whether a rule name is meant as a pattern: it has a `*`.
bool isNamePattern(llvm::StringRef Name);

/// Why \p Pattern is not a well-formed name pattern (an empty component, a
/// `*` inside a component, no component of its own), or std::nullopt.
std::optional<std::string> namePatternProblem(llvm::StringRef Pattern);

/// Whether the qualified name \p Name matches the well-formed \p Pattern:
/// `*` matches exactly one component, `**` zero or more, any other component
/// only itself.
bool matchesNamePattern(llvm::StringRef Pattern, llvm::StringRef Name);

/// The nearest .awaitify.yaml in \p SourceFile's folder or one of its parents.
std::optional<std::string> findProjectRuleFile(llvm::StringRef SourceFile);

/// Every *.yaml file in \p Dir, sorted (the shipped rewrite-rules/).
std::vector<std::string> listRuleFiles(llvm::StringRef Dir);

} // namespace awaitify

#endif
