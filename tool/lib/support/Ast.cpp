//===- Ast.cpp ------------------------------------------------------------===//
#include "support/Ast.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"

using namespace clang;

namespace awaitify::detail {

std::string qualifiedName(const NamedDecl *D) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  if (!D->getIdentifier())
    return "";
  Parts.push_back(D->getName());
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isAnonymousNamespace() || NS->isInline())
        continue;
      Parts.push_back(NS->getName());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (RD->getName().empty())
        continue;
      Parts.push_back(RD->getName());
    } else if (isa<TranslationUnitDecl>(DC) || isa<LinkageSpecDecl>(DC) ||
               isa<ExportDecl>(DC)) {
      continue;
    } else {
      return ""; // declared inside a function: no rule can name it
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    if (!Out.empty())
      Out += "::";
    Out += *It;
  }
  return Out;
}

bool othersSee(const FunctionDecl *F, const SourceManager &SM) {
  if (F->isExternallyVisible())
    return true;
  return llvm::any_of(F->redecls(), [&](const FunctionDecl *D) {
    return !SM.isWrittenInMainFile(SM.getFileLoc(D->getLocation()));
  });
}

bool isNamed(const NamedDecl *D, llvm::StringRef Name) {
  if (!D)
    return false;
  if (const auto *F = dyn_cast<FunctionDecl>(D))
    if (const FunctionDecl *P = F->getTemplateInstantiationPattern())
      D = P;
  if (const auto *S = dyn_cast<ClassTemplateSpecializationDecl>(D))
    D = S->getSpecializedTemplate()->getTemplatedDecl();
  // Cheap test first: the unqualified name is the last part.
  if (!D->getIdentifier() || !Name.ends_with(D->getName()))
    return false;
  return qualifiedName(D) == Name;
}

std::string classTemplateName(QualType T) {
  const CXXRecordDecl *RD =
      T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  if (!RD)
    return "";
  if (const auto *S = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    return qualifiedName(S->getSpecializedTemplate()->getTemplatedDecl());
  return qualifiedName(RD);
}

const LambdaExpr *lambdaArgument(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      return L;
    if (const auto *C = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = C->getSubExpr();
      continue;
    }
    if (const auto *C = dyn_cast<CXXConstructExpr>(E)) {
      if (C->getNumArgs() != 1)
        return nullptr;
      E = C->getArg(0);
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

unsigned writtenArgs(const CallExpr *Call) {
  unsigned N = Call->getNumArgs();
  while (N && isa<CXXDefaultArgExpr>(Call->getArg(N - 1)))
    --N;
  return N;
}

const Expr *argumentFor(const CallExpr *Call, const ParmVarDecl *P) {
  unsigned I = P->getFunctionScopeIndex();
  return I < writtenArgs(Call) ? Call->getArg(I) : P->getDefaultArg();
}

const CallExpr *statementCall(const Stmt *S) {
  const Expr *E = nullptr;
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    E = R->getRetValue();
  else
    E = dyn_cast<Expr>(S);
  if (!E)
    return nullptr;
  const auto *Call = dyn_cast<CallExpr>(E->IgnoreImplicit()->IgnoreParens());
  if (!Call || isa<CXXOperatorCallExpr>(Call) || isa<CUDAKernelCallExpr>(Call))
    return nullptr;
  return Call;
}

bool isBareReturn(const Stmt *S) {
  const auto *R = dyn_cast_or_null<ReturnStmt>(S);
  return R && !R->getRetValue();
}

bool contains(const SourceManager &SM, SourceRange R, SourceLocation L) {
  if (R.isInvalid() || L.isInvalid())
    return false;
  auto [BF, B] = SM.getDecomposedLoc(SM.getFileLoc(R.getBegin()));
  auto [EF, E] = SM.getDecomposedLoc(SM.getFileLoc(R.getEnd()));
  auto [XF, X] = SM.getDecomposedLoc(SM.getFileLoc(L));
  return BF == XF && EF == XF && B <= X && X <= E;
}

std::string spelling(const Expr *E, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation B = SM.getFileLoc(E->getBeginLoc());
  SourceLocation End = Lexer::getLocForEndOfToken(
      SM.getFileLoc(E->getEndLoc()), 0, SM, Ctx.getLangOpts());
  return Lexer::getSourceText(CharSourceRange::getCharRange(B, End), SM,
                              Ctx.getLangOpts())
      .str();
}

std::optional<unsigned> macroNumber(const Preprocessor *PP,
                                    llvm::StringRef Name) {
  if (!PP)
    return std::nullopt;
  const MacroInfo *MI = PP->getMacroInfo(PP->getIdentifierInfo(Name));
  if (!MI || MI->isFunctionLike() || MI->getNumTokens() != 1 ||
      MI->getReplacementToken(0).isNot(tok::numeric_constant))
    return std::nullopt;
  unsigned Value;
  if (llvm::StringRef(PP->getSpelling(MI->getReplacementToken(0)))
          .getAsInteger(10, Value))
    return std::nullopt;
  return Value;
}

} // namespace awaitify::detail
