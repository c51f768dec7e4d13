//===- Runner.cpp ---------------------------------------------------------===//
#include "awaitify/Runner.h"
#include "awaitify/Driver.h"
#include "driver/Commands.h"
#include "driver/FirstError.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/HeaderSearch.h"
#include "llvm/Support/FileSystem.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

using namespace clang;

namespace awaitify {
namespace {

using detail::FirstError;
using detail::readAsTheCompilerDoes;


/// Whether a folder the command searches holds the runtime.
bool findsRuntime(const HeaderSearch &HS) {
  for (const HeaderSearchOptions::Entry &E :
       HS.getHeaderSearchOpts().UserEntries) {
    llvm::SmallString<256> P(E.Path);
    llvm::sys::path::append(P, "awaitify", "awaitify.hpp");
    if (llvm::sys::fs::exists(P))
      return true;
  }
  return false;
}

class AnalyzeConsumer : public ASTConsumer {
public:
  AnalyzeConsumer(const RuleSet &Rules, const AnalysisOptions &Opts,
                  TranslationUnitResult &Out, const Preprocessor &PP)
      : Rules(Rules), Opts(Opts), Out(Out), PP(PP) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return;
    Out.Analysis = analyzeTranslationUnit(Ctx, Rules, Opts, &PP);
    const SourceManager &SM = Ctx.getSourceManager();
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
      llvm::SmallString<256> P(It->first.getName());
      SM.getFileManager().makeAbsolutePath(P);
      llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
      Out.Inputs.push_back(std::string(P));
    }
    Out.FindsRuntime = findsRuntime(PP.getHeaderSearchInfo());
  }

private:
  const RuleSet &Rules;
  const AnalysisOptions &Opts;
  TranslationUnitResult &Out;
  const Preprocessor &PP;
};

class AnalyzeAction : public ASTFrontendAction {
public:
  AnalyzeAction(const RuleSet &Rules, const AnalysisOptions &Opts,
                TranslationUnitResult &Out)
      : Rules(Rules), Opts(Opts), Out(Out) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    return std::make_unique<AnalyzeConsumer>(Rules, Opts, Out,
                                             CI.getPreprocessor());
  }

private:
  const RuleSet &Rules;
  const AnalysisOptions &Opts;
  TranslationUnitResult &Out;
};

class AnalyzeFactory : public tooling::FrontendActionFactory {
public:
  AnalyzeFactory(const RuleSet &Rules, const AnalysisOptions &Opts,
                 TranslationUnitResult &Out)
      : Rules(Rules), Opts(Opts), Out(Out) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<AnalyzeAction>(Rules, Opts, Out);
  }

private:
  const RuleSet &Rules;
  const AnalysisOptions &Opts;
  TranslationUnitResult &Out;
};

/// Adds -resource-dir unless the command has one.
tooling::ArgumentsAdjuster resourceDirAdjuster(std::string Dir) {
  return [Dir](const tooling::CommandLineArguments &Args, llvm::StringRef) {
    for (const std::string &A : Args)
      if (llvm::StringRef(A).starts_with("-resource-dir"))
        return Args;
    tooling::CommandLineArguments Out = Args;
    if (!Dir.empty())
      Out.insert(Out.begin() + 1, "-resource-dir=" + Dir);
    return Out;
  };
}

void prepare(tooling::ClangTool &Tool, const RunnerOptions &Opts,
             DiagnosticConsumer &Diags) {
  readAsTheCompilerDoes(Tool);
  Tool.appendArgumentsAdjuster(resourceDirAdjuster(Opts.ResourceDir));
  // Errors are reported through Diags alone: no "N errors generated.".
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      "-fno-caret-diagnostics", tooling::ArgumentInsertPosition::BEGIN));
  Tool.setDiagnosticConsumer(&Diags);
  Tool.setPrintErrorMessage(false);
}

} // namespace

Runner::Runner(const tooling::CompilationDatabase &Compilations, RuleSet Rules,
               RunnerOptions Opts)
    : Compilations(Compilations), Rules(std::move(Rules)),
      Opts(std::move(Opts)) {
  if (this->Opts.RuntimeInclude.empty())
    this->Opts.RuntimeInclude = runtimeIncludeDir();
}

TranslationUnitResult Runner::analyze(llvm::StringRef File) {
  TranslationUnitResult Out;
  Out.File = File.str();
  auto Rules = Opts.ProjectRules ? rulesForFile(this->Rules, File)
                                  : llvm::Expected<RuleSet>(this->Rules);
  if (!Rules) {
    Out.Error = llvm::toString(Rules.takeError());
    return Out;
  }
  tooling::ClangTool Tool(Compilations, {File.str()},
                          std::make_shared<PCHContainerOperations>(),
                          llvm::vfs::createPhysicalFileSystem());
  FirstError Diags;
  prepare(Tool, Opts, Diags);
  // Warnings are the user's business; -Werror must not stop the analysis.
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      "-w", tooling::ArgumentInsertPosition::BEGIN));
  AnalyzeFactory Factory(*Rules, Opts.Analysis, Out);
  int RC = Tool.run(&Factory);
  if (!Diags.Message.empty())
    Out.Error = Diags.Message;
  else if (RC != 0)
    Out.Error = File.str() + ": error: could not be parsed (no compile "
                             "command, or the compiler could not run)";
  if (!Out.Error.empty())
    Out.Analysis = {};
  return Out;
}

std::optional<std::string>
Runner::verify(llvm::StringRef File,
               const std::map<std::string, std::string> &Contents) {
  tooling::ClangTool Tool(Compilations, {File.str()},
                          std::make_shared<PCHContainerOperations>(),
                          llvm::vfs::createPhysicalFileSystem());
  FirstError Diags;
  prepare(Tool, Opts, Diags);
  for (const auto &[Path, Text] : Contents)
    Tool.mapVirtualFile(Path, Text);
  // The runtime the rewrite includes is found after the command's own
  // folders; the summary says what the build must add when it lacks it.
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      {"-idirafter", Opts.RuntimeInclude}, tooling::ArgumentInsertPosition::END));
  auto Factory = tooling::newFrontendActionFactory<SyntaxOnlyAction>();
  int RC = Tool.run(Factory.get());
  if (!Diags.Message.empty())
    return Diags.Message;
  if (RC != 0)
    return File.str() + ": error: could not be parsed";
  return std::nullopt;
}

} // namespace awaitify
