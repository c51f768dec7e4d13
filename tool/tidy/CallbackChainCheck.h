//===- CallbackChainCheck.h - awaitify-callback-chain -----------*- C++ -*-===//
//
// The clang-tidy face of awaitify. The check does no analysis of its own: it
// hands the whole translation unit to awaitify::analyzeTranslationUnit (the
// same call the CLI makes), verifies the rewrites as the CLI does (Driver.h:
// the translation unit is parsed again with them, and one that does not
// compile is not offered), and turns each chain into
//
//   warning  at the chain's first completion call, worded as the CLI's text
//            output (Messages.h), with the chain's edits attached as fix-its
//            -- so `clang-tidy --fix`, `--export-fixes` and clangd's quick
//            fixes all apply exactly the rewrite `awaitify fix` would write;
//   note     one per step (the completion call whose callback continues the
//            chain), one per assumption and one per rename, and why a
//            rewrite was not offered.
//
// Chains of one translation unit share some edits (the runtime #include).
// clang-tidy applies every fix of a run together, so each shared edit is
// attached to the first chain only. An editor applies one quick fix at a
// time: when diagnostics are self-contained (clangd sets that), every
// chain's fix carries its whole rewrite, and a bad rule file is reported
// at the top of the file, where an editor shows it.
//
// Options (declared once in the constructor, mirrored in storeOptions):
//
//   RuleFiles      rule files, separated by ';'. A relative path is looked up
//                  in the source file's folder and its parents, then in the
//                  working directory (clangd's working directory is not the
//                  project's).
//   MinConfidence  safe | reasonable | risky (default reasonable), as the
//                  CLI's --min-confidence.
//
// The rules are found and loaded as the CLI loads them (loadRules,
// rulesForFile): the shipped ones, then RuleFiles, then the nearest
// .awaitify.yaml.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_TIDY_CALLBACKCHAINCHECK_H
#define AWAITIFY_TIDY_CALLBACKCHAINCHECK_H

#include "awaitify/Chain.h"
#include "awaitify/Report.h"
#include "awaitify/Confidence.h"
#include "awaitify/Rules.h"
#include "clang-tidy/ClangTidyCheck.h"
#include <optional>
#include <set>
#include <string>
#include <tuple>

namespace awaitify::tidy {

class CallbackChainCheck : public clang::tidy::ClangTidyCheck {
public:
  CallbackChainCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Ctx);

  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  /// Keeps the preprocessor: libraries' version macros rate some rewrites.
  void registerPPCallbacks(const clang::SourceManager &SM,
                           clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &R) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  /// The rules for the translation unit whose main file is \p MainFile, or
  /// std::nullopt after reporting a configuration error (also at
  /// \p FileStart in an editor, which shows no diagnostic without a place).
  std::optional<RuleSet> rulesFor(llvm::StringRef MainFile,
                                  clang::SourceLocation FileStart);
  void report(const ChainReport &CR, clang::SourceManager &SM,
              std::set<std::tuple<std::string, unsigned, unsigned,
                                  std::string>> &Attached);

  const std::string RuleFiles;
  const Confidence::Level MinConfidence;
  const clang::Preprocessor *PP = nullptr;
};

} // namespace awaitify::tidy

#endif
