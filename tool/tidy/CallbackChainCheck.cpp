//===- CallbackChainCheck.cpp ---------------------------------------------===//
#include "CallbackChainCheck.h"
#include "awaitify/Driver.h"
#include "awaitify/Messages.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

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
  llvm::SmallVector<llvm::StringRef, 4> Names;
  llvm::StringRef(RuleFiles).split(Names, ';', /*MaxSplit=*/-1,
                                   /*KeepEmpty=*/false);
  std::vector<std::string> Extra;
  for (llvm::StringRef Name : Names)
    if (!(Name = Name.trim()).empty())
      Extra.push_back(resolveRuleFile(Name, MainFile));
  auto Rules = loadRules(/*Shipped=*/true, Extra);
  if (Rules)
    Rules = rulesForFile(*Rules, MainFile);
  if (Rules)
    return std::move(*Rules);
  std::string Message = llvm::toString(Rules.takeError());
  configurationDiag("%0", DiagnosticIDs::Error) << Message;
  // An editor shows no diagnostic without a place: the top of the file.
  if (areDiagsSelfContained() && FileStart.isValid())
    diag(FileStart, "awaitify cannot read its rules: %0") << Message;
  return std::nullopt;
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
  Report R;
  R.add(analyzeTranslationUnit(*Result.Context, *Rules, Opts, PP));
  // The original text is what this translation unit read (an editor's
  // unsaved buffer included), not what is on disk.
  R.acceptEdits([&](llvm::StringRef Path) -> std::optional<std::string> {
    auto File = SM.getFileManager().getOptionalFileRef(Path);
    FileID ID = File ? SM.translateFile(*File) : FileID();
    if (ID.isInvalid())
      return std::nullopt;
    if (std::optional<llvm::StringRef> Text = SM.getBufferDataOrNone(ID))
      return Text->str();
    return std::nullopt;
  });
  // Verified as the CLI verifies: a rewrite that does not compile in this
  // translation unit is not offered.
  if (PP && !R.Edits.empty()) {
    std::vector<bool> Keep(R.Chains.size(), true);
    std::vector<std::string> Inputs;
    for (const auto &[Path, Text] : R.Originals)
      Inputs.push_back(Path);
    verifyTranslationUnit(
        R, Keep, Inputs,
        [&](const std::map<std::string, std::string> &Contents) {
          return verifyInProcess(*Result.Context, *PP, Contents);
        });
  }
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> Attached;
  for (const ChainReport &CR : R.Chains)
    report(CR, SM, Attached);
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
    const ChainReport &CR, SourceManager &SM,
    std::set<std::tuple<std::string, unsigned, unsigned, std::string>>
        &Attached) {
  // The rewrite as fix-its, all or nothing: a partial rewrite would not
  // compile. None for a rewrite that was dropped.
  const Chain &C = CR.C;
  llvm::SmallVector<FixItHint, 8> Fixes;
  std::set<std::string> OtherFiles; // that the rewrite edits too
  llvm::ArrayRef<clang::tooling::Replacement> Offered;
  if (CR.Dropped.empty())
    Offered = C.Edits;
  for (const clang::tooling::Replacement &E : Offered) {
    if (!Attached
             .insert({E.getFilePath().str(), E.getOffset(), E.getLength(),
                      E.getReplacementText().str()})
             .second &&
        !areDiagsSelfContained())
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
    // The range of the token at the chain's start: clangd would otherwise
    // take the range of a fix that contains the location (the function's
    // whole body) for the diagnostic's.
    auto D = diag(Where, "%0") << chainMessage(C)
                               << CharSourceRange::getTokenRange(Where, Where);
    for (const FixItHint &F : Fixes)
      D << F;
  }
  for (const Note &N : chainNotes(C, CR.Dropped))
    diag(toSourceLocation(N.Where, SM), "%0", DiagnosticIDs::Note) << N.Text;
  // clangd offers a quick fix only when all its edits are in the open file.
  if (areDiagsSelfContained() && !OtherFiles.empty())
    diag(Where, "the rewrite also changes %0, which a quick fix cannot edit: "
                "run 'awaitify fix' or 'clang-tidy --fix' on this file",
         DiagnosticIDs::Note)
        << llvm::join(OtherFiles, ", ");
  if (Fixes.empty() && !C.Edits.empty() && CR.Dropped.empty())
    diag(Where, "no fix attached: the rewrite edits a file this translation "
                "unit did not read", DiagnosticIDs::Note);
}

} // namespace awaitify::tidy
