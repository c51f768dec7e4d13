//===- Naming.cpp - Names that flattening introduces ----------------------===//
//
// Flattening moves declarations into an enclosing block: a continuation's
// parameters and init-captures, the top-level locals of its body, the
// parameters of an inlined handler. Each is renamed (`ec` -> `ec2`) when the
// block already sees a declaration of that name, or when the step's own call
// uses the name for something else (the new variable would be in scope in
// its own initialiser). The blocks are those of the flattened code, not of
// the source: an inlined handler's body is a block of the function it is
// inlined into. Asio error codes of the same type are reused, not renamed.
//
//===----------------------------------------------------------------------===//
#include "Finder.h"
#include "Handlers.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace awaitify::detail {

namespace {
/// Fills a NameIndex: each declaration's scope is the innermost block,
/// loop, if, switch, catch or lambda around it.
class Indexer : public RecursiveASTVisitor<Indexer> {
public:
  explicit Indexer(NameIndex &Out) : Out(Out) {}

  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseStmt(Stmt *S) {
    if (!S)
      return true;
    bool Scoped = isa<CompoundStmt>(S) || isa<ForStmt>(S) ||
                  isa<CXXForRangeStmt>(S) || isa<WhileStmt>(S) ||
                  isa<IfStmt>(S) || isa<SwitchStmt>(S) ||
                  isa<CXXCatchStmt>(S) || isa<LambdaExpr>(S);
    if (Scoped)
      Scopes.push_back(S->getSourceRange());
    bool Ok = RecursiveASTVisitor::TraverseStmt(S);
    if (Scoped)
      Scopes.pop_back();
    return Ok;
  }
  bool VisitVarDecl(VarDecl *V) {
    addDecl(V);
    return true;
  }
  bool VisitBindingDecl(BindingDecl *B) {
    addDecl(B);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl()->getIdentifier())
      Out.Uses[E->getDecl()->getName()].push_back(
          {E->getDecl(), E->getLocation()});
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (E->isImplicitAccess() && E->getMemberDecl()->getIdentifier())
      Out.Uses[E->getMemberDecl()->getName()].push_back(
          {E->getMemberDecl(), E->getMemberLoc()});
    return true;
  }

private:
  void addDecl(const ValueDecl *D) {
    if (!D->getIdentifier())
      return;
    SourceRange Scope = Scopes.empty() ? SourceRange() : Scopes.back();
    // A lambda's parameters are visible in its body: the lambda's range.
    Out.Decls[D->getName()].push_back({D, Scope});
  }

  NameIndex &Out;
  std::vector<SourceRange> Scopes;
};
} // namespace

void NameIndex::add(const Stmt *Code) {
  Indexer(*this).TraverseStmt(const_cast<Stmt *>(Code));
}

std::string Finder::freshName(llvm::StringRef Base, const NameIndex &Names,
                              llvm::StringSet<> &Fresh) {
  for (unsigned N = 2;; ++N) {
    std::string Candidate = (Base + llvm::Twine(N)).str();
    if (!Names.isTaken(Candidate) && !Fresh.count(Candidate)) {
      Fresh.insert(Candidate);
      return Candidate;
    }
  }
}

/// The expression an argument copies: `x` in `f(x)`, through the copy
/// constructor a class-typed parameter adds.
static const Expr *copiedFrom(const Expr *Arg) {
  const Expr *E = Arg->IgnoreImplicit()->IgnoreParenImpCasts();
  if (const auto *C = dyn_cast<CXXConstructExpr>(E))
    if (C->getNumArgs() == 1 && C->getConstructor()->isCopyConstructor())
      E = C->getArg(0)->IgnoreParenImpCasts();
  return E;
}

void Finder::planStepNames(FunctionPlan &Plan, NameIndex &Names,
                           const Step &S, unsigned Block,
                           SourceLocation Anchor, llvm::StringSet<> &Fresh) {
  if (S.BackEdge)
    return; // assigns the loop's variables; declares nothing
  const LambdaExpr *L = S.Continuation;
  const CompoundStmt *Body = S.body();
  // Where the step is, in the function's own text: itself, or (inside an
  // inlined handler) the statement of the function that led there.
  SourceLocation At = S.Statement->getBeginLoc();
  if (!contains(SM, Plan.Function->getBody()->getSourceRange(), At))
    At = Anchor;
  SourceLocation Here = S.Statement->getBeginLoc();
  Step &Mutable = const_cast<Step &>(S);
  bool AsioAwait = S.K == Step::Await && S.Rule->Style == AwaitStyle::Asio;

  auto FinalNameOf = [&](const ValueDecl *D) -> std::string {
    if (const auto *V = dyn_cast<VarDecl>(D))
      if (auto It = Plan.Aliases.find(V); It != Plan.Aliases.end())
        D = It->second;
    auto It = Plan.Renames.find(D);
    return It == Plan.Renames.end() ? D->getName().str() : It->second;
  };
  // A visible error code of the same type that an earlier Asio step
  // declared: this step reports into it too.
  auto VisibleError = [&](llvm::StringRef Name, QualType T) -> const ValueDecl * {
    for (const ValueDecl *E : AsioErrors)
      if (FinalNameOf(E) == Name &&
          Ctx.hasSameUnqualifiedType(E->getType().getNonReferenceType(),
                                     T.getNonReferenceType()))
        if (auto It = HoistedBlock.find(E);
            It != HoistedBlock.end() && sees(Block, It->second))
          return E;
    return nullptr;
  };

  // The declarations this step moves into Target.
  llvm::SmallVector<const ValueDecl *, 8> Hoisted;
  // Values bound ahead of the completion's become locals too.
  for (unsigned I = 0; I < S.BoundArgs.size(); ++I)
    if (S.Handler->getParamDecl(I)->getIdentifier())
      Hoisted.push_back(S.Handler->getParamDecl(I));
  llvm::ArrayRef<ParmVarDecl *> Params = S.params();
  for (unsigned I = 0; I < Params.size(); ++I) {
    const ParmVarDecl *P = Params[I];
    if (AsioAwait && I == 0) {
      llvm::StringRef Name = P->getIdentifier() ? P->getName() : "ec";
      if (const ValueDecl *E = VisibleError(Name, P->getType())) {
        if (P->getIdentifier())
          Plan.Aliases[P] = E;
        Mutable.ErrorName = FinalNameOf(E);
        continue;
      }
      Mutable.DeclareError = true;
      if (!P->getIdentifier()) {
        Mutable.ErrorName = Names.isTaken("ec") ? freshName("ec", Names, Fresh)
                                                : std::string("ec");
        continue;
      }
      AsioErrors.insert(P);
    }
    if (!P->getIdentifier())
      continue;
    if (S.K == Step::HandlerCall)
      if (const auto *R =
              dyn_cast<DeclRefExpr>(copiedFrom(argumentFor(S.Call, P))))
        if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
            V && V->isLocalVarDeclOrParm() && FinalNameOf(V) == P->getName() &&
            !P->getType()->isReferenceType()) {
          Plan.Aliases[P] = V; // `do_write(length)` into `length`: same value
          continue;
        }
    Hoisted.push_back(P);
  }
  if (L)
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable())
        if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
            V && L->isInitCapture(&C) && !Plan.Aliases.count(V) &&
            !Plan.DroppedInitCaptures.count(V))
          Hoisted.push_back(V);
  for (const Stmt *Child : Body->body())
    if (const auto *DS = dyn_cast<DeclStmt>(Child)) {
      if (Plan.DroppedStatements.count(DS))
        continue;
      for (const Decl *D : DS->decls()) {
        if (const auto *DD = dyn_cast<DecompositionDecl>(D)) {
          for (const BindingDecl *B : DD->bindings())
            Hoisted.push_back(B);
        } else if (const auto *V = dyn_cast<VarDecl>(D)) {
          Hoisted.push_back(V);
        }
      }
    }

  auto FinalName = [&](const ValueDecl *D) -> llvm::StringRef {
    auto It = Plan.Renames.find(D);
    return It == Plan.Renames.end() ? D->getName() : llvm::StringRef(It->second);
  };

  for (const ValueDecl *D : Hoisted) {
    llvm::StringRef Name = D->getName();
    bool Clash = false;
    // Another declaration visible where this one lands: redeclaration or
    // shadowing. Declarations already hoisted count with their new scope,
    // and renamed ones under their new name.
    auto Visible = [&](const ValueDecl *Other, SourceRange Scope) {
      if (Other == D || FinalName(Other) != Name)
        return false;
      if (auto It = HoistedBlock.find(Other); It != HoistedBlock.end())
        return sees(Block, It->second);
      return contains(SM, Scope, At) || contains(SM, Scope, Here);
    };
    if (auto It = Names.Decls.find(Name); It != Names.Decls.end())
      for (const NameIndex::Entry &E : It->second)
        Clash |= Visible(E.D, E.Scope);
    for (const auto &[Other, New] : Plan.Renames)
      if (New == Name)
        Clash |= Visible(Other, SourceRange());
    // Something else of that name used by the call itself: the new variable
    // would be in scope in its own initialiser.
    if (auto It = Names.Uses.find(Name); It != Names.Uses.end())
      for (const auto &[Used, Loc] : It->second)
        if (Used != D && contains(SM, S.Call->getSourceRange(), Loc) &&
            !(L && contains(SM, L->getSourceRange(), Loc)))
          Clash = true;
    if (Clash) {
      std::string New = freshName(Name, Names, Fresh);
      Plan.Renames[D] = New;
    }
    HoistedBlock[D] = Block;
  }

  if (L && !AsioAwait) {
    std::string Resume = "resume";
    if (Names.isTaken(Resume))
      Resume = freshName(Resume, Names, Fresh);
    Mutable.ResumeName = Resume;
  }

  for (const Step &N : S.Next) {
    // A step directly in this continuation's body lands in the same block;
    // one inside an if-arm (or a loop head's body) in a block of its own.
    bool Direct = llvm::is_contained(Body->body(), N.Statement) &&
                  !(S.Handler && Plan.LoopHeads.count(S.Handler));
    planStepNames(Plan, Names, N, Direct ? Block : newBlock(Block), At, Fresh);
  }
}

void Finder::planNames(FunctionPlan &Plan, NameIndex &Names) {
  llvm::StringSet<> Fresh;
  BlockParent.clear();
  HoistedBlock.clear();
  // Roots directly in the function's body share its block; others (in
  // if-arms) get one each.
  unsigned Top = newBlock(-1);
  const auto *Body = cast<CompoundStmt>(
      Plan.Lambda ? Plan.Lambda->getCompoundStmtBody() : Plan.Function->getBody());
  for (const Step &R : Plan.Roots) {
    bool Direct = llvm::is_contained(Body->body(), R.Statement) &&
                  !Plan.LoopHeads.count(Plan.Function);
    planStepNames(Plan, Names, R, Direct ? Top : newBlock(Top),
                  R.Statement->getBeginLoc(), Fresh);
  }
}

} // namespace awaitify::detail
