//===- InProcess.cpp - Verify a translation unit parsed in process --------===//
//
// clang-tidy and clangd hand a check a parsed translation unit but not its
// compile command. The options it was parsed with are all there -- language,
// target, header search, preprocessor, warnings -- so the verification parse
// is a CompilerInvocation made of them, reading the files through the same
// file system (an editor's unsaved buffers included) with the rewritten
// files on top. clangd's preamble is left out: the whole file is parsed.
//
//===----------------------------------------------------------------------===//
#include "awaitify/Driver.h"
#include "driver/FirstError.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/TargetInfo.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "llvm/Support/VirtualFileSystem.h"

using namespace clang;

namespace awaitify {

/// The invocation \p Ctx was parsed with, as far as a parse needs it.
static std::shared_ptr<CompilerInvocation>
invocationOf(ASTContext &Ctx, const Preprocessor &PP) {
  auto Inv = std::make_shared<CompilerInvocation>();
  Inv->getLangOpts() = Ctx.getLangOpts();
  Inv->getTargetOpts() = Ctx.getTargetInfo().getTargetOpts();
  Inv->getHeaderSearchOpts() = PP.getHeaderSearchInfo().getHeaderSearchOpts();
  // The runtime the rewrite includes, after the command's own folders (as
  // the CLI's verification finds it).
  Inv->getHeaderSearchOpts().AddPath(runtimeIncludeDir(), frontend::After,
                                     /*IsFramework=*/false,
                                     /*IgnoreSysRoot=*/true);
  PreprocessorOptions &PPOpts = Inv->getPreprocessorOpts();
  PPOpts = PP.getPreprocessorOpts();
  PPOpts.ImplicitPCHInclude.clear();
  PPOpts.PrecompiledPreambleBytes = {0, false};
  PPOpts.RemappedFiles.clear();
  PPOpts.RemappedFileBuffers.clear();
  PPOpts.RetainRemappedFileBuffers = false;
  PPOpts.UsePredefines = true; // the whole file is parsed: predefines too
  const DiagnosticOptions &From = Ctx.getDiagnostics().getDiagnosticOptions();
  DiagnosticOptions &To = Inv->getDiagnosticOpts();
#define DIAGOPT(Name, Bits, Default) To.Name = From.Name;
#define ENUM_DIAGOPT(Name, Type, Bits, Default) To.set##Name(From.get##Name());
#include "clang/Basic/DiagnosticOptions.def"
  To.Warnings = From.Warnings;
  To.Remarks = From.Remarks;
  To.UndefPrefixes = From.UndefPrefixes;
  const SourceManager &SM = Ctx.getSourceManager();
  OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
  FrontendOptions &FE = Inv->getFrontendOpts();
  FE.Inputs = {FrontendInputFile(
      Main ? Main->getName() : StringRef(),
      InputKind(Ctx.getLangOpts().CPlusPlus ? Language::CXX : Language::C))};
  FE.ProgramAction = frontend::ParseSyntaxOnly;
  return Inv;
}

std::optional<std::string>
verifyInProcess(ASTContext &Ctx, const Preprocessor &PP,
                const std::map<std::string, std::string> &Contents) {
  auto Edited = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  for (const auto &[Path, Text] : Contents)
    Edited->addFile(Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Text, Path));
  auto Files = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      Ctx.getSourceManager().getFileManager().getVirtualFileSystemPtr());
  Files->pushOverlay(Edited);

  CompilerInstance CI(std::make_shared<PCHContainerOperations>());
  CI.setInvocation(invocationOf(Ctx, PP));
  detail::FirstError Diags;
  CI.createDiagnostics(&Diags, /*ShouldOwnClient=*/false);
  CI.createFileManager(Files);
  SyntaxOnlyAction Parse;
  bool Ran = CI.ExecuteAction(Parse);
  if (!Diags.Message.empty())
    return Diags.Message;
  if (!Ran)
    return std::string("the translation unit could not be parsed again");
  return std::nullopt;
}

} // namespace awaitify
