//===- Handlers.cpp -------------------------------------------------------===//
#include "Handlers.h"
#include "Plan.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;

namespace awaitify::detail {

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
    if (const auto *D = M->getMethodDecl())
      return D->getName() == "shared_from_this";
  return false;
}

bool isShareFromThis(const Expr *E) { return isShareFromThisCall(E); }

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

static bool isPlaceholder(const Expr *E, unsigned N) {
  E = E->IgnoreImplicit()->IgnoreParens();
  if (const auto *C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() == 1)
    E = C->getArg(0)->IgnoreImplicit()->IgnoreParens();
  if (const auto *R = dyn_cast<DeclRefExpr>(E))
    return R->getDecl()->getName() == ("_" + std::to_string(N));
  return false;
}

const FunctionDecl *boundHandler(const Expr *Arg,
                                 llvm::SmallVectorImpl<const Expr *> *Bound) {
  const Expr *E = Arg->IgnoreImplicit()->IgnoreParens();
  if (const auto *C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() == 1)
    E = C->getArg(0)->IgnoreImplicit()->IgnoreParens();
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || !Call->getDirectCallee())
    return nullptr;
  llvm::StringRef Name = Call->getDirectCallee()->getName();
  if (Call->getNumArgs() < 2)
    return nullptr;
  const FunctionDecl *M = memberPointee(Call->getArg(0));
  if (!M || !isSelfArgument(Call->getArg(1)))
    return nullptr;
  if (Name == "bind_front_handler" || Name == "bind_front") {
    if (Call->getNumArgs() - 2 > M->getNumParams())
      return nullptr;
    if (Bound)
      for (unsigned I = 2; I < Call->getNumArgs(); ++I)
        Bound->push_back(Call->getArg(I));
    else if (Call->getNumArgs() != 2)
      return nullptr; // callers that cannot handle bound values
    return M;
  }
  if (Name == "bind") {
    // std::bind(&C::h, self, _1, _2, ...): the placeholders in order.
    if (Call->getNumArgs() - 2 != M->getNumParams())
      return nullptr;
    for (unsigned I = 2; I < Call->getNumArgs(); ++I)
      if (!isPlaceholder(Call->getArg(I), I - 1))
        return nullptr;
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
  return Call && Call->getNumArgs() >= 2 && boundHandler(Arg) &&
         ownsObject(Call->getArg(1));
}

/// The std (or boost) class template a record is an instance of, or "".
static std::string libraryTemplate(const CXXRecordDecl *RD) {
  if (!RD)
    return "";
  const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
  std::string Q = qualifiedName(Spec ? Spec->getSpecializedTemplate()->getTemplatedDecl()
                                     : RD);
  return Q;
}

/// Whether \p T, a template argument of a standard class, runs none of the
/// program's code when that class is destroyed: an allocator or deleter of
/// the program's own would (its deallocate or call operator).
static bool destroysQuietly(QualType T) {
  const CXXRecordDecl *RD = T.getCanonicalType()->getAsCXXRecordDecl();
  const CXXRecordDecl *Def = RD ? RD->getDefinition() : nullptr;
  if (!Def)
    return true;
  // The standard's comparators, hashes and traits are called by no
  // destructor; its allocators and deleters do nothing but free memory.
  if (Def->isInStdNamespace())
    return true;
  auto Named = [&](llvm::StringRef Name) {
    return llvm::any_of(Def->methods(), [&](const CXXMethodDecl *M) {
      return M->getIdentifier() && M->getName() == Name;
    });
  };
  // An allocator deallocates; a deleter is called.
  bool CalledOnDestruction =
      Named("deallocate") ||
      llvm::any_of(Def->methods(), [](const CXXMethodDecl *M) {
        return M->getOverloadedOperator() == OO_Call;
      });
  return !CalledOnDestruction;
}

bool isPlainType(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (T->isDependentType())
    return false;
  if (T.isDestructedType() == QualType::DK_none)
    return true;
  if (const auto *A = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    return isPlainType(A->getElementType());
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  static const llvm::StringSet<> Values = {
      "std::basic_string", "std::vector",        "std::deque",
      "std::list",         "std::forward_list",  "std::map",
      "std::multimap",     "std::set",           "std::multiset",
      "std::unordered_map", "std::unordered_multimap", "std::unordered_set",
      "std::unordered_multiset", "std::array",   "std::optional",
      "std::pair",         "std::tuple",         "std::variant",
      // Not std::shared_ptr: it may hold a deleter of any kind, which its
      // type does not show (a unique_ptr's deleter is in its type).
      "std::weak_ptr",     "std::allocator",     "std::unique_ptr",
      "std::default_delete",
      // Streams over a buffer they do not own: destroying one leaves the
      // buffer as it is (no flush).
      "std::basic_istream", "std::basic_ostream", "std::basic_iostream",
      "std::char_traits"};
  std::string Template = libraryTemplate(RD);
  if (Template == "std::weak_ptr" || Template == "boost::weak_ptr")
    return true; // letting go of a weak_ptr never destroys its target
  if (!Values.contains(Template)) {
    // A class of the program's own is a value when destroying it only
    // destroys its members and bases, and they are values.
    const CXXRecordDecl *Def = RD->getDefinition();
    if (!Def || Def->isInStdNamespace() || Def->isUnion() ||
        Def->isPolymorphic() ||
        (Def->getDestructor() && Def->getDestructor()->isUserProvided()))
      return false;
    for (const CXXBaseSpecifier &B : Def->bases())
      if (!isPlainType(B.getType()))
        return false;
    for (const FieldDecl *F : Def->fields())
      if (!isPlainType(F->getType()))
        return false;
    return true;
  }
  // A container of values is a value when what it holds is, and when what
  // its destructor calls is the standard's own: the default deleter, the
  // standard allocator.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &A : Spec->getTemplateArgs().asArray()) {
      if (A.getKind() == TemplateArgument::Type && !isPlainType(A.getAsType()))
        return false;
      if (A.getKind() == TemplateArgument::Type && !destroysQuietly(A.getAsType()))
        return false;
      if (A.getKind() == TemplateArgument::Pack)
        for (const TemplateArgument &P : A.pack_elements())
          if (P.getKind() == TemplateArgument::Type && !isPlainType(P.getAsType()))
            return false;
    }
  return true;
}

bool isOwningHandle(QualType T) {
  std::string Q = libraryTemplate(T.getNonReferenceType()->getAsCXXRecordDecl());
  return Q == "std::shared_ptr" || Q == "std::unique_ptr" ||
         Q == "std::function" || Q == "boost::shared_ptr" ||
         Q == "boost::function";
}

const FunctionDecl *executorHop(const CallExpr *Call, const Expr *&Executor) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  // Written as dispatch(ex, token); Boost adds a defaulted SFINAE parameter.
  if (!Callee || writtenArgs(Call) != 2)
    return nullptr;
  std::string Q = qualifiedName(Callee);
  if (Q != "boost::asio::dispatch" && Q != "asio::dispatch")
    return nullptr;
  const FunctionDecl *M = boundHandler(Call->getArg(1));
  if (M && M->getNumParams() == 0) {
    Executor = Call->getArg(0);
    return M;
  }
  return nullptr;
}

bool sharesOwnership(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return false;
  for (const CXXBaseSpecifier &B : RD->bases()) {
    const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl();
    if (!Base)
      continue;
    std::string Q = qualifiedName(Base);
    if (Q == "std::enable_shared_from_this" ||
        Q == "boost::enable_shared_from_this" || sharesOwnership(Base))
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

bool isErrorCode(QualType T) {
  T = T.getNonReferenceType().getUnqualifiedType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  return RD && RD->getName() == "error_code";
}

const Expr *ioObject(const CallExpr *Call) {
  if (const auto *M = dyn_cast<CXXMemberCallExpr>(Call))
    return M->getImplicitObjectArgument();
  if (Call->getNumArgs() > 0)
    return Call->getArg(0);
  return nullptr;
}

std::string asioNamespaceSpelling(ASTContext &Ctx, llvm::StringRef LibraryNs) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (const auto *A = dyn_cast<NamespaceAliasDecl>(D))
      if (SM.isInMainFile(SM.getFileLoc(A->getLocation())))
        if (const NamespaceDecl *NS = A->getNamespace())
          if (qualifiedName(NS) == LibraryNs)
            return A->getName().str();
  return LibraryNs.str();
}

} // namespace awaitify::detail
