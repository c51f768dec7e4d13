//===- CallbackChainCheck.cpp ---------------------------------------------===//
#include "CallbackChainCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <dlfcn.h>

using namespace clang;
using namespace clang::ast_matchers;

namespace clang::tidy {
/// MinConfidence is spelled as the CLI spells --min-confidence.
template <> struct OptionEnumMapping<awaitify::Confidence::Level> {
  static llvm::ArrayRef<std::pair<awaitify::Confidence::Level, StringRef>>
  getEnumMapping() {
    static constexpr std::pair<awaitify::Confidence::Level, StringRef>
        Mapping[] = {{awaitify::Confidence::Safe, "safe"},
                     {awaitify::Confidence::Reasonable, "reasonable"},
                     {awaitify::Confidence::Risky, "risky"}};
    return Mapping;
  }
};
} // namespace clang::tidy

namespace awaitify::tidy {

bool SelfContainedFixes = false;

namespace {

static constexpr char TranslationUnit[] = "translationUnit";

/// The analysis looks at a whole translation unit at once (a chain is found
/// from the function that starts it, and a rewrite may touch a header), so
/// the check matches the translation unit itself, once.
/// \code
///   <the whole file>
/// \endcode
/// `translationUnit` is bound to the TranslationUnitDecl.
DeclarationMatcher wholeTranslationUnit() {
  return translationUnitDecl().bind(TranslationUnit);
}

/// share/awaitify/rewrite-rules beside the installed binary that holds this
/// code: the plugin (PREFIX/lib/awaitify-tidy.so) or awaitify-clangd
/// (PREFIX/bin). Else the source tree's rewrite-rules/.
std::string shippedRulesDir() {
  std::vector<std::string> Binaries;
  Dl_info Info;
  if (dladdr(reinterpret_cast<void *>(&shippedRulesDir), &Info) &&
      Info.dli_fname && *Info.dli_fname)
    Binaries.push_back(Info.dli_fname);
  Binaries.push_back(llvm::sys::fs::getMainExecutable(
      nullptr, reinterpret_cast<void *>(&shippedRulesDir)));
  for (const std::string &B : Binaries) {
    llvm::SmallString<256> Real;
    if (llvm::sys::fs::real_path(B, Real))
      continue;
    llvm::SmallString<256> Dir(
        llvm::sys::path::parent_path(llvm::sys::path::parent_path(Real)));
    llvm::sys::path::append(Dir, "share", "awaitify", "rewrite-rules");
    if (llvm::sys::fs::is_directory(Dir))
      return std::string(Dir);
  }
  return AWAITIFY_SOURCE_RULES_DIR;
}

/// A RuleFiles entry as a path: absolute as given; relative ones are looked
/// up from the source file's folder upwards, then in the working directory.
std::string resolveRuleFile(llvm::StringRef Name, llvm::StringRef MainFile) {
  if (llvm::sys::path::is_absolute(Name))
    return Name.str();
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(MainFile);
       !Dir.empty(); Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, Name);
    if (llvm::sys::fs::exists(Candidate))
      return std::string(Candidate);
  }
  return Name.str();
}

} // namespace

CallbackChainCheck::CallbackChainCheck(llvm::StringRef Name,
                                       clang::tidy::ClangTidyContext *Ctx)
    : ClangTidyCheck(Name, Ctx), RuleFiles(Options.get("RuleFiles", "")),
      MinConfidence(Options.get("MinConfidence", Confidence::Reasonable)) {}

void CallbackChainCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "RuleFiles", RuleFiles);
  Options.store(Opts, "MinConfidence", MinConfidence);
}

void CallbackChainCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(wholeTranslationUnit(), this);
}

std::optional<RuleSet>
CallbackChainCheck::rulesFor(llvm::StringRef MainFile,
                             SourceLocation FileStart) {
  RuleSet Rules;
  auto Add = [&](llvm::StringRef Path) {
    if (llvm::Error E = Rules.addFile(Path)) {
      std::string Message = llvm::toString(std::move(E));
      configurationDiag("%0", DiagnosticIDs::Error) << Message;
      if (SelfContainedFixes && FileStart.isValid())
        diag(FileStart, "awaitify cannot read its rules: %0") << Message;
      return false;
    }
    return true;
  };
  for (const std::string &F : listRuleFiles(shippedRulesDir()))
    if (!Add(F))
      return std::nullopt;
  llvm::SmallVector<llvm::StringRef, 4> Names;
  llvm::StringRef(RuleFiles).split(Names, ';', /*MaxSplit=*/-1,
                                   /*KeepEmpty=*/false);
  for (llvm::StringRef Name : Names)
    if (!(Name = Name.trim()).empty() && !Add(resolveRuleFile(Name, MainFile)))
      return std::nullopt;
  if (std::optional<std::string> Project = findProjectRuleFile(MainFile))
    if (!Add(*Project))
      return std::nullopt;
  return Rules;
}

void CallbackChainCheck::registerPPCallbacks(const SourceManager &,
                                             Preprocessor *PP, Preprocessor *) {
  this->PP = PP;
}

void CallbackChainCheck::check(const MatchFinder::MatchResult &Result) {
  if (!Result.Nodes.getNodeAs<TranslationUnitDecl>(TranslationUnit))
    return;
  SourceManager &SM = *Result.SourceManager;
  llvm::SmallString<256> MainFile;
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID())) {
    MainFile = Main->getName();
    SM.getFileManager().makeAbsolutePath(MainFile);
    llvm::sys::path::remove_dots(MainFile, /*remove_dot_dot=*/true);
  }
  std::optional<RuleSet> Rules =
      rulesFor(MainFile, SM.getLocForStartOfFile(SM.getMainFileID()));
  if (!Rules)
    return;
  AnalysisOptions Opts;
  Opts.MinConfidence = MinConfidence;
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Attached;
  for (const Chain &C :
       analyzeTranslationUnit(*Result.Context, *Rules, Opts, PP).Chains)
    report(C, SM, Attached);
}

/// \p L as a location of this translation unit: the live one when there is
/// one, else found again from the file and offset.
static SourceLocation toSourceLocation(const Location &L,
                                       const SourceManager &SM) {
  if (L.Loc.isValid())
    return SM.getFileLoc(L.Loc);
  auto File = SM.getFileManager().getOptionalFileRef(L.File);
  FileID FID = File ? SM.translateFile(*File) : FileID();
  if (FID.isInvalid())
    return {};
  return SM.getLocForStartOfFile(FID).getLocWithOffset(L.Offset);
}

void CallbackChainCheck::report(
    const Chain &C, SourceManager &SM,
    std::set<std::tuple<std::string, unsigned, unsigned, std::string>>
        &Attached) {
  // The rewrite as fix-its, all or nothing: a partial rewrite would not
  // compile.
  llvm::SmallVector<FixItHint, 8> Fixes;
  std::set<std::string> OtherFiles; // that the rewrite edits too
  for (const clang::tooling::Replacement &E : C.Edits) {
    if (!Attached
             .insert({E.getFilePath().str(), E.getOffset(), E.getLength(),
                      E.getReplacementText().str()})
             .second &&
        !SelfContainedFixes)
      continue;
    Location At;
    At.File = E.getFilePath().str();
    At.Offset = E.getOffset();
    SourceLocation Begin = toSourceLocation(At, SM);
    if (Begin.isInvalid()) {
      Fixes.clear();
      break;
    }
    if (!SM.isWrittenInMainFile(Begin))
      OtherFiles.insert(llvm::sys::path::filename(E.getFilePath()).str());
    if (E.getLength() == 0)
      Fixes.push_back(FixItHint::CreateInsertion(Begin, E.getReplacementText()));
    else
      Fixes.push_back(FixItHint::CreateReplacement(
          CharSourceRange::getCharRange(
              Begin, Begin.getLocWithOffset(E.getLength())),
          E.getReplacementText()));
  }

  SourceLocation Where = toSourceLocation(C.Where, SM);
  {
    auto D = diag(Where, "callback chain of %0 %plural{1:call|:calls}0 "
                         "(depth %1) in '%2' can be rewritten with co_await "
                         "(confidence: %3)")
             << static_cast<unsigned>(C.Steps.size()) << C.Depth << C.Function
             << C.Conf.name();
    for (const FixItHint &F : Fixes)
      D << F;
  }
  unsigned N = 0;
  for (const ChainStep &S : C.Steps)
    diag(toSourceLocation(S.Where, SM),
         "step %0: '%1' completes into this callback", DiagnosticIDs::Note)
        << ++N << S.Callee;
  for (const std::string &A : C.Assumptions)
    diag(Where, "assumes: %0", DiagnosticIDs::Note) << A;
  for (const std::string &R : C.Renames)
    diag(Where, "%0", DiagnosticIDs::Note) << R;
  // clangd offers a quick fix only when all its edits are in the open file.
  if (SelfContainedFixes && !OtherFiles.empty())
    diag(Where, "the rewrite also changes %0, which a quick fix cannot edit: "
                "run 'awaitify fix' or 'clang-tidy --fix' on this file",
         DiagnosticIDs::Note)
        << llvm::join(OtherFiles, ", ");
  if (Fixes.empty() && !C.Edits.empty())
    diag(Where, "no fix attached: the rewrite edits a file this translation "
                "unit did not read", DiagnosticIDs::Note);
}

} // namespace awaitify::tidy
