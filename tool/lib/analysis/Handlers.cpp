//===- Handlers.cpp -------------------------------------------------------===//
#include "analysis/Handlers.h"
#include "dialect/Dialect.h"
#include "support/Ast.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include <optional>

using namespace clang;

namespace awaitify::detail {

bool isHandlerCandidate(const FunctionDecl *H, const FunctionDecl *Enclosing,
                        const SourceManager &SM) {
  if (!H || !H->getReturnType()->isVoidType() || H->isVariadic() ||
      H->isTemplated() || H->isTemplateInstantiation())
    return false;
  const FunctionDecl *Def = H->getDefinition();
  if (!Def || !Def->getBody() || !isa<CompoundStmt>(Def->getBody()))
    return false;
  if (SM.getFileID(SM.getFileLoc(Def->getBeginLoc())) !=
      SM.getFileID(SM.getFileLoc(Enclosing->getBeginLoc())))
    return false;
  const auto *HM = dyn_cast<CXXMethodDecl>(H);
  const auto *EM = dyn_cast<CXXMethodDecl>(Enclosing);
  if (bool(HM) != bool(EM))
    return false;
  if (HM) {
    if (HM->isVirtual() || HM->isStatic() || isa<CXXConstructorDecl>(HM) ||
        isa<CXXDestructorDecl>(HM) || HM->isOverloadedOperator())
      return false;
    if (HM->getParent()->getCanonicalDecl() !=
        EM->getParent()->getCanonicalDecl())
      return false;
  }
  return !H->isMain();
}

static bool isShareFromThisCall(const Expr *E) {
  E = E->IgnoreImplicit()->IgnoreParens();
  if (const auto *C = dyn_cast<CXXConstructExpr>(E))
    if (C->getNumArgs() == 1)
      E = C->getArg(0)->IgnoreImplicit()->IgnoreParens();
  if (const auto *M = dyn_cast<CXXMemberCallExpr>(E))
    return isNamed(M->getMethodDecl(),
                   "std::enable_shared_from_this::shared_from_this") ||
           isNamed(M->getMethodDecl(),
                   "boost::enable_shared_from_this::shared_from_this");
  return false;
}

bool ownsThis(const VarDecl *V) {
  return V->getInit() && isShareFromThisCall(V->getInit());
}

static bool isSelfArgument(const Expr *E) {
  const Expr *Bare = E->IgnoreImplicit()->IgnoreParens();
  if (isa<CXXThisExpr>(Bare) || isShareFromThisCall(Bare))
    return true;
  // A local holding shared_from_this() (`self`).
  if (const auto *C = dyn_cast<CXXConstructExpr>(Bare); C && C->getNumArgs() == 1)
    Bare = C->getArg(0)->IgnoreImplicit()->IgnoreParens();
  if (const auto *R = dyn_cast<DeclRefExpr>(Bare))
    if (const auto *V = dyn_cast<VarDecl>(R->getDecl()))
      return V->getInit() && isShareFromThisCall(V->getInit());
  return false;
}

static const FunctionDecl *memberPointee(const Expr *E) {
  E = E->IgnoreImplicit()->IgnoreParens();
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
    if (const auto *R = dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParens()))
      return dyn_cast<CXXMethodDecl>(R->getDecl());
  return nullptr;
}

/// The N of a bind placeholder, by its type: std::bind's `_N`
/// (`std::_Placeholder<N>`, libc++'s `std::placeholders::__ph<N>`),
/// boost::bind's `_N` (`boost::arg<N>`), and Boost.Asio's named ones, which
/// with GCC and clang are functions returning one
/// (`boost::asio::placeholders::error` is `boost::arg<1> error()`).
static std::optional<unsigned> placeholderIndex(const Expr *E) {
  E = E->IgnoreImplicit()->IgnoreParens();
  if (const auto *C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() == 1)
    E = C->getArg(0)->IgnoreImplicit()->IgnoreParens();
  QualType T = E->getType().getNonReferenceType();
  if (const auto *P = T->getAs<PointerType>())
    T = P->getPointeeType();
  if (const auto *F = T->getAs<FunctionType>())
    T = F->getReturnType().getNonReferenceType();
  const auto *S = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getCanonicalType()->getAsCXXRecordDecl());
  if (!S || S->getTemplateArgs().size() != 1 ||
      S->getTemplateArgs()[0].getKind() != TemplateArgument::Integral)
    return std::nullopt;
  std::string Name = classTemplateName(T);
  if (Name != "boost::arg" && Name != "std::_Placeholder" &&
      Name != "std::placeholders::__ph")
    return std::nullopt;
  return S->getTemplateArgs()[0].getAsIntegral().getZExtValue();
}

/// Whether \p E is placeholder _N of std::bind (or boost::bind).
static bool isPlaceholder(const Expr *E, unsigned N) {
  return placeholderIndex(E) == N;
}

static bool isFrontBinder(const FunctionDecl *F) {
  return llvm::any_of(dialects(),
                      [&](const Dialect *D) { return D->isFrontBinder(F); });
}

const FunctionDecl *boundHandler(const Expr *Arg,
                                 llvm::SmallVectorImpl<const Expr *> *Bound,
                                 bool *BoundLast) {
  const Expr *E = Arg->IgnoreImplicit()->IgnoreParens();
  if (const auto *C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() == 1)
    E = C->getArg(0)->IgnoreImplicit()->IgnoreParens();
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || !Call->getDirectCallee() || Call->getNumArgs() < 2)
    return nullptr;
  const FunctionDecl *Binder = Call->getDirectCallee();
  const FunctionDecl *M = memberPointee(Call->getArg(0));
  if (!M || !isSelfArgument(Call->getArg(1)))
    return nullptr;
  if (BoundLast)
    *BoundLast = false;
  if (isFrontBinder(Binder)) {
    if (Call->getNumArgs() - 2 > M->getNumParams())
      return nullptr;
    if (Bound)
      for (unsigned I = 2; I < Call->getNumArgs(); ++I)
        Bound->push_back(Call->getArg(I));
    else if (Call->getNumArgs() != 2)
      return nullptr; // callers that cannot handle bound values
    return M;
  }
  if (isNamed(Binder, "std::bind") || isNamed(Binder, "boost::bind")) {
    // bind(&C::h, self, a...): one argument per parameter of h. The
    // placeholders _1, _2, ... in order take the completion's first values
    // (bind drops the others); the values bound with them are evaluated
    // where bind is called: ahead of the placeholders, or after them.
    llvm::ArrayRef<const Expr *> Args(Call->getArgs() + 2,
                                      Call->getNumArgs() - 2);
    if (Args.size() != M->getNumParams())
      return nullptr;
    auto Placeholders = [&](llvm::ArrayRef<const Expr *> A) {
      for (unsigned I = 0; I < A.size(); ++I)
        if (!isPlaceholder(A[I], I + 1))
          return false;
      return true;
    };
    // A bound value that is itself a placeholder or a bind expression would
    // be evaluated when the handler is called, not where bind is.
    auto Values = [&](llvm::ArrayRef<const Expr *> A) {
      return llvm::all_of(A, [](const Expr *E) {
        std::string T = classTemplateName(E->getType());
        return !placeholderIndex(E) && T != "std::_Bind" &&
               T != "boost::_bi::bind_t" && T != "std::__bind";
      });
    };
    unsigned Lead = 0;
    while (Lead < Args.size() && placeholderIndex(Args[Lead]))
      ++Lead;
    unsigned Front = 0;
    while (Front < Args.size() && !placeholderIndex(Args[Front]))
      ++Front;
    bool Last = Lead > 0 && Lead < Args.size();
    llvm::ArrayRef<const Expr *> BoundValues =
        Last ? Args.drop_front(Lead) : Args.take_front(Front);
    if (!Placeholders(Last ? Args.take_front(Lead) : Args.drop_front(Front)) ||
        !Values(BoundValues))
      return nullptr;
    if (!BoundValues.empty() && !Bound)
      return nullptr;
    if (Bound)
      Bound->append(BoundValues.begin(), BoundValues.end());
    if (BoundLast)
      *BoundLast = Last;
    return M;
  }
  return nullptr;
}

bool ownsObject(const Expr *E) {
  const Expr *Bare = E->IgnoreImplicit()->IgnoreParens();
  return !isa<CXXThisExpr>(Bare) && isSelfArgument(Bare);
}

bool bindsOwner(const Expr *Arg) {
  const Expr *E = Arg->IgnoreImplicit()->IgnoreParens();
  if (const auto *C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() == 1)
    E = C->getArg(0)->IgnoreImplicit()->IgnoreParens();
  const auto *Call = dyn_cast<CallExpr>(E);
  llvm::SmallVector<const Expr *, 2> Values; // bound with it: any will do
  return Call && Call->getNumArgs() >= 2 && boundHandler(Arg, &Values) &&
         ownsObject(Call->getArg(1));
}

bool sharesOwnership(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return false;
  for (const CXXBaseSpecifier &B : RD->bases()) {
    const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl();
    if (!Base)
      continue;
    if (isNamed(Base, "std::enable_shared_from_this") ||
        isNamed(Base, "boost::enable_shared_from_this") ||
        sharesOwnership(Base))
      return true;
  }
  return false;
}

const VarDecl *selfKeeper(const Stmt *S) {
  const auto *DS = dyn_cast<DeclStmt>(S);
  if (!DS || !DS->isSingleDecl())
    return nullptr;
  const auto *V = dyn_cast<VarDecl>(DS->getSingleDecl());
  if (!V || !V->getInit() || !isShareFromThisCall(V->getInit()))
    return nullptr;
  return V;
}

} // namespace awaitify::detail
