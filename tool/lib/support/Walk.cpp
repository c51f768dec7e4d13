//===- Walk.cpp - One traversal for the simple AST searches ---------------===//

#include "support/Walk.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include <functional>

using namespace clang;

namespace awaitify::detail {

namespace {
class Walker : public RecursiveASTVisitor<Walker> {
public:
  Walker(llvm::function_ref<bool(const Stmt &)> Visit,
         llvm::function_ref<bool(const LambdaExpr &)> Enter)
      : Visit(Visit), Enter(Enter) {}

  bool TraverseLambdaExpr(LambdaExpr *E) {
    return !Enter(*E) || traverseAsRun(*this, E);
  }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
  bool VisitStmt(Stmt *S) { return Visit(*S); }

private:
  llvm::function_ref<bool(const Stmt &)> Visit;
  llvm::function_ref<bool(const LambdaExpr &)> Enter;
};
} // namespace

namespace {
/// A function called, as two specializations of one generic lambda can be
/// compared: a function template's specialization by its template and its
/// type arguments, any lambda's closure type counting as the same (each
/// specialization has its own closure for a lambda written inside it).
struct Callee {
  const Decl *D = nullptr;
  std::vector<const void *> Types;
  bool operator==(const Callee &O) const {
    return D == O.D && Types == O.Types;
  }
};
} // namespace

static Callee callee(const Decl *D) {
  const auto *F = dyn_cast_or_null<FunctionDecl>(D);
  const TemplateArgumentList *Args =
      F ? F->getTemplateSpecializationArgs() : nullptr;
  if (!Args)
    return {D, {}};
  Callee Out{F->getPrimaryTemplate(), {}};
  std::function<bool(const TemplateArgument &)> Add =
      [&](const TemplateArgument &A) {
        if (A.getKind() == TemplateArgument::Pack)
          return llvm::all_of(A.pack_elements(), Add);
        if (A.getKind() != TemplateArgument::Type)
          return false;
        QualType T = A.getAsType().getCanonicalType();
        const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
        Out.Types.push_back(RD && RD->isLambda() ? nullptr
                                                 : T.getAsOpaquePtr());
        return true;
      };
  if (!llvm::all_of(Args->asArray(), Add))
    return {D, {}}; // a value argument: the specialization itself
  return Out;
}

/// What \p F's body calls, in order: functions, constructors, allocation
/// and deallocation functions.
static std::vector<Callee> callees(const FunctionDecl *F) {
  std::vector<Callee> Out;
  walk(F->getBody(), [&](const Stmt &S) {
    if (const auto *C = dyn_cast<CallExpr>(&S))
      Out.push_back(callee(C->getCalleeDecl()));
    else if (const auto *C = dyn_cast<CXXConstructExpr>(&S))
      Out.push_back(callee(C->getConstructor()));
    else if (const auto *N = dyn_cast<CXXNewExpr>(&S))
      Out.push_back(callee(N->getOperatorNew()));
    else if (const auto *D = dyn_cast<CXXDeleteExpr>(&S))
      Out.push_back(callee(D->getOperatorDelete()));
    else if (const auto *T = dyn_cast<CXXBindTemporaryExpr>(&S))
      Out.push_back(callee(T->getTemporary()->getDestructor()));
    return true;
  });
  return Out;
}

/// Whether the specializations \p A and \p B of one generic lambda do the
/// same: parameters of the same types but for references and const (`auto
/// &&` instantiated for a `const T&` and a `T&`), whose bodies call the
/// same functions in the same order -- so no overload chosen on const or
/// value category tells them apart.
static bool sameRun(const FunctionDecl *A, const FunctionDecl *B) {
  if (A->getNumParams() != B->getNumParams())
    return false;
  const ASTContext &Ctx = A->getASTContext();
  for (unsigned I = 0; I < A->getNumParams(); ++I) {
    QualType TA = A->getParamDecl(I)->getType().getNonReferenceType();
    QualType TB = B->getParamDecl(I)->getType().getNonReferenceType();
    if (!Ctx.hasSameUnqualifiedType(TA, TB))
      return false;
  }
  return callees(A) == callees(B);
}

const CXXMethodDecl *runOperator(const LambdaExpr *L) {
  if (!L->isGenericLambda())
    return L->getCallOperator();
  auto Specializations = runSpecializations(L);
  if (Specializations.empty())
    return nullptr;
  for (const FunctionDecl *S : llvm::drop_begin(Specializations))
    if (!sameRun(Specializations.front(), S))
      return nullptr;
  // Of those that do the same, the one whose values are least const: what
  // the rewrite declares.
  auto Consts = [](const FunctionDecl *F) {
    return llvm::count_if(F->parameters(), [](const ParmVarDecl *P) {
      return P->getType().getNonReferenceType().isConstQualified();
    });
  };
  return cast<CXXMethodDecl>(*llvm::min_element(
      Specializations, [&](const FunctionDecl *A, const FunctionDecl *B) {
        return Consts(A) < Consts(B);
      }));
}

llvm::SmallVector<const FunctionDecl *, 1>
runSpecializations(const LambdaExpr *L) {
  // Specializations only declared (an is_invocable test, say) do not run.
  llvm::SmallVector<const FunctionDecl *, 1> Out;
  for (const FunctionDecl *S :
       L->getDependentCallOperator()->specializations())
    if (S->getBody())
      Out.push_back(S);
  return Out;
}

bool walk(const Stmt *Root, llvm::function_ref<bool(const Stmt &)> Visit,
          llvm::function_ref<bool(const LambdaExpr &)> Enter) {
  return Walker(Visit, Enter).TraverseStmt(const_cast<Stmt *>(Root));
}

bool walk(const Stmt *Root, llvm::function_ref<bool(const Stmt &)> Visit,
          Lambdas L) {
  return walk(Root, Visit,
              [L](const LambdaExpr &) { return L == Lambdas::Enter; });
}

} // namespace awaitify::detail
