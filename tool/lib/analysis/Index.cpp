//===- Index.cpp ----------------------------------------------------------===//
#include "analysis/Index.h"
#include "analysis/Handlers.h"
#include "support/Ast.h"
#include "support/Walk.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace awaitify::detail {
namespace {

/// Visits every function and lambda outside system headers and remembers
/// what the analysis of a single function needs from the whole TU.
class Collector : public RecursiveASTVisitor<Collector> {
public:
  explicit Collector(const SourceManager &SM) : SM(SM) {}

  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return true;
    const auto *F = dyn_cast_or_null<FunctionDecl>(D);
    if (F)
      Enclosing.push_back(F);
    bool Ok = RecursiveASTVisitor::TraverseDecl(D);
    if (F)
      Enclosing.pop_back();
    return Ok;
  }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    const CXXMethodDecl *Op = runOperator(L);
    Enclosing.push_back(Op ? Op : L->getCallOperator());
    bool Ok = traverseAsRun(*this, L);
    Enclosing.pop_back();
    return Ok;
  }
  bool VisitFunctionDecl(FunctionDecl *F) {
    if (F->doesThisDeclarationHaveABody() && !isLambdaCallOperator(F))
      Functions.push_back(F);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    Lambdas.push_back(L);
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    if (const auto *R =
            dyn_cast<DeclRefExpr>(C->getCallee()->IgnoreParenImpCasts()))
      CalleeRefs.insert(R);
    unsigned N = writtenArgs(C);
    if (N && C->getDirectCallee() &&
        (lambdaArgument(C->getArg(N - 1)) || boundHandler(C->getArg(N - 1))))
      CallbackCalls.push_back(
          {C, Enclosing.empty() ? nullptr : Enclosing.back()});
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *F = dyn_cast<FunctionDecl>(E->getDecl())) {
      FunctionRefs.push_back({E, F});
      ReferenceSites[F->getCanonicalDecl()].push_back(E->getLocation());
    }
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (const auto *F = dyn_cast<FunctionDecl>(E->getMemberDecl())) {
      ReferenceSites[F->getCanonicalDecl()].push_back(E->getMemberLoc());
    }
    return true;
  }

  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<SourceLocation, 2>>
      ReferenceSites;
  std::vector<const FunctionDecl *> Functions;
  std::vector<const LambdaExpr *> Lambdas;
  std::vector<std::pair<const CallExpr *, const FunctionDecl *>> CallbackCalls;
  std::vector<const FunctionDecl *> Enclosing;
  llvm::SmallPtrSet<const DeclRefExpr *, 32> CalleeRefs;
  std::vector<std::pair<const DeclRefExpr *, const FunctionDecl *>>
      FunctionRefs;

private:
  const SourceManager &SM;
};
} // namespace

TUIndex TUIndex::build(ASTContext &Ctx) {
  Collector Col(Ctx.getSourceManager());
  Col.TraverseDecl(Ctx.getTranslationUnitDecl());
  TUIndex Out;
  for (const auto &[Ref, Fn] : Col.FunctionRefs)
    if (!Col.CalleeRefs.count(Ref) && !isa<CXXMethodDecl>(Fn))
      Out.AddressTaken.insert(Fn->getCanonicalDecl());
  Out.ReferenceSites = std::move(Col.ReferenceSites);
  Out.Functions = std::move(Col.Functions);
  Out.Lambdas = std::move(Col.Lambdas);
  Out.CallbackCalls = std::move(Col.CallbackCalls);
  return Out;
}

} // namespace awaitify::detail
