//===- Naming.cpp - Names that flattening introduces ----------------------===//
//
// Each declaration that flattening moves is renamed (`ec` -> `ec2`) when the
// block it lands in already sees a declaration of that name, or when the
// step's own call uses the name for something else (the new variable would
// be in scope in its own initialiser). The blocks are those of the flattened
// code, not of the source: an inlined handler's body is a block of the
// function it is inlined into. What an await introduces is the dialect's to
// name (Dialect::nameParam, Dialect::nameAwait).
//
//===----------------------------------------------------------------------===//
#include "plan/Naming.h"
#include "plan/Guards.h"
#include "dialect/Dialect.h"
#include "support/Ast.h"
#include "support/Walk.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

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
  bool TraverseLambdaExpr(LambdaExpr *L) { return traverseAsRun(*this, L); }
  bool VisitVarDecl(VarDecl *V) {
    addDecl(V);
    return true;
  }
  bool VisitBindingDecl(BindingDecl *B) {
    addDecl(B);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    // A qualified name (`placeholders::error`) is not hidden by a local.
    if (E->getDecl()->getIdentifier() && !E->hasQualifier())
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

void NameIndex::addFunctionParams(const FunctionDecl *F,
                                  SourceRange BodyRange) {
  for (const ParmVarDecl *P : F->parameters())
    if (P->getIdentifier())
      Decls[P->getName()].push_back({P, BodyRange});
}

Namer::Namer(FunctionPlan &Plan, ASTContext &Ctx)
    : Plan(Plan), Ctx(Ctx), SM(Ctx.getSourceManager()) {
  const FunctionDecl *F = Plan.Function;
  const Stmt *Body =
      Plan.Lambda ? Plan.Lambda->getCompoundStmtBody() : F->getBody();
  Names.addFunctionParams(F, Body->getSourceRange());
  Names.add(Body);
  for (const FunctionDecl *H : Plan.Inlined) {
    Names.addFunctionParams(H, H->getBody()->getSourceRange());
    Names.add(H->getBody());
  }
}

bool Namer::isTaken(llvm::StringRef Name) const { return Names.isTaken(Name); }

std::string Namer::fresh(llvm::StringRef Base) {
  for (unsigned N = 2;; ++N) {
    std::string Candidate = (Base + llvm::Twine(N)).str();
    if (!Names.isTaken(Candidate) && !Fresh.count(Candidate)) {
      Fresh.insert(Candidate);
      return Candidate;
    }
  }
}

std::string Namer::unique(llvm::StringRef Base) {
  if (!Names.isTaken(Base) && Fresh.insert(Base).second)
    return Base.str();
  return fresh(Base);
}

std::string Namer::finalName(const ValueDecl *D) const {
  if (const auto *V = dyn_cast<VarDecl>(D))
    if (auto It = Plan.Aliases.find(V); It != Plan.Aliases.end())
      D = It->second;
  auto It = Plan.Renames.find(D);
  return It == Plan.Renames.end() ? D->getName().str() : It->second;
}

bool Namer::sees(unsigned Inner, unsigned Outer) const {
  for (int B = Inner; B >= 0; B = BlockParent[B])
    if (unsigned(B) == Outer)
      return true;
  return false;
}

const ValueDecl *Namer::visibleReusable(llvm::StringRef Name,
                                        QualType T) const {
  for (const ValueDecl *E : Reusable)
    if (finalName(E) == Name &&
        Ctx.hasSameUnqualifiedType(E->getType().getNonReferenceType(),
                                   T.getNonReferenceType()))
      if (auto It = HoistedBlock.find(E);
          It != HoistedBlock.end() && sees(Block, It->second))
        return E;
  return nullptr;
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

llvm::SmallVector<const ValueDecl *, 8> Namer::hoisted(Step &S) {
  llvm::SmallVector<const ValueDecl *, 8> Out;
  // Values bound with the handler become locals too -- or are the local
  // they copy, of the same name (`bind(&C::h, this, conn, _1)`).
  for (unsigned I = 0; I < S.BoundArgs.size(); ++I) {
    const ParmVarDecl *P = S.boundParams()[I];
    if (!P->getIdentifier())
      continue;
    if (const auto *R = dyn_cast<DeclRefExpr>(copiedFrom(S.BoundArgs[I]));
        R && !Plan.LoopHeads.count(S.Handler))
      if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
          V && V->isLocalVarDeclOrParm() && !isa<ParmVarDecl>(V) &&
          finalName(V) == P->getName() && !P->getType()->isReferenceType() &&
          P->getType().getCanonicalType().getUnqualifiedType() ==
              V->getType().getCanonicalType().getUnqualifiedType()) {
        Plan.Aliases[P] = V;
        continue;
      }
    Out.push_back(P);
  }
  llvm::ArrayRef<ParmVarDecl *> Params = S.params();
  for (unsigned I = 0; I < Params.size(); ++I) {
    const ParmVarDecl *P = Params[I];
    if (S.K == Step::Await && Plan.D->nameParam(*this, S, I))
      continue;
    if (!Plan.named(P))
      continue;
    if (S.K == Step::HandlerCall && !S.Join)
      if (const auto *R =
              dyn_cast<DeclRefExpr>(copiedFrom(argumentFor(S.Call, P))))
        if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
            V && V->isLocalVarDeclOrParm() && finalName(V) == P->getName() &&
            !P->getType()->isReferenceType()) {
          Plan.Aliases[P] = V; // `do_write(length)` into `length`: same value
          continue;
        }
    Out.push_back(P);
  }
  if (const LambdaExpr *L = S.Continuation)
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable())
        if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
            V && L->isInitCapture(&C) && !Plan.Aliases.count(V) &&
            !Plan.DroppedInitCaptures.count(V))
          Out.push_back(V);
  for (const Stmt *Child : S.body()->body())
    if (const auto *DS = dyn_cast<DeclStmt>(Child)) {
      if (Plan.DroppedStatements.count(DS))
        continue;
      for (const Decl *D : DS->decls()) {
        if (const auto *DD = dyn_cast<DecompositionDecl>(D)) {
          for (const BindingDecl *B : DD->bindings())
            Out.push_back(B);
        } else if (const auto *V = dyn_cast<VarDecl>(D)) {
          Out.push_back(V);
        }
      }
    }
  return Out;
}

bool Namer::clashes(const Step &S, const ValueDecl *D, SourceLocation At) const {
  llvm::StringRef Name = D->getName();
  SourceLocation Here = S.Statement->getBeginLoc();
  auto RenamedTo = [&](const ValueDecl *Other) -> llvm::StringRef {
    auto It = Plan.Renames.find(Other);
    return It == Plan.Renames.end() ? Other->getName()
                                    : llvm::StringRef(It->second);
  };
  // Another declaration visible where this one lands: redeclaration or
  // shadowing. Declarations already hoisted count with their new scope,
  // and renamed ones under their new name.
  auto Visible = [&](const ValueDecl *Other, SourceRange Scope) {
    if (Other == D || RenamedTo(Other) != Name)
      return false;
    if (auto It = HoistedBlock.find(Other); It != HoistedBlock.end())
      return sees(Block, It->second);
    return contains(SM, Scope, At) || contains(SM, Scope, Here);
  };
  if (auto It = Names.Decls.find(Name); It != Names.Decls.end())
    for (const NameIndex::Entry &E : It->second)
      if (Visible(E.D, E.Scope))
        return true;
  for (const auto &[Other, New] : Plan.Renames)
    if (New == Name && Visible(Other, SourceRange()))
      return true;
  // Something else of that name used by the call itself: the new variable
  // would be in scope in its own initialiser.
  const LambdaExpr *L = S.Continuation;
  if (auto It = Names.Uses.find(Name); It != Names.Uses.end())
    for (const auto &[Used, Loc] : It->second)
      if (Used != D && contains(SM, S.Call->getSourceRange(), Loc) &&
          !(L && contains(SM, L->getSourceRange(), Loc)))
        return true;
  return false;
}

void Namer::nameStep(Step &S, unsigned InBlock, SourceLocation Anchor) {
  Block = InBlock;
  if (S.Arrives && !S.Join)
    return; // assigns the parameters that the last call declares
  if (S.BackEdge) {
    // Assigns the loop's variables; declares nothing but what the dialect's
    // await needs when the handler takes nothing.
    if (S.K == Step::Await && S.params().empty())
      Plan.D->nameAwait(*this, S);
    return;
  }
  // Where the step is, in the function's own text: itself, or (inside an
  // inlined handler) the statement of the function that led there.
  SourceLocation At = S.Statement->getBeginLoc();
  if (!contains(SM, Plan.Function->getBody()->getSourceRange(), At))
    At = Anchor;
  for (const ValueDecl *D : hoisted(S)) {
    bool Clash = clashes(S, D, At);
    // The handler's parameters of calls that meet after their branch are
    // assigned at each call: no declaration there may hide them.
    if (S.Join && isa<ParmVarDecl>(D))
      for (const Stmt *Call : S.Join->Calls)
        Clash = Clash || clashes(S, D, Call->getBeginLoc());
    if (Clash)
      Plan.Renames[D] = fresh(D->getName());
    HoistedBlock[D] = Block;
  }
  if (S.K == Step::Await)
    Plan.D->nameAwait(*this, S);

  const CompoundStmt *Body = S.body();
  for (Step &N : S.Next) {
    // A step directly in this continuation's body lands in the same block;
    // one inside an if-arm (or a loop head's body) in a block of its own.
    // The calls that meet after their branch declare the handler's
    // parameters in this block, and its code follows there.
    bool Direct = (N.Join || landsIn(Plan, Body, N.Statement)) &&
                  !(S.Handler && Plan.LoopHeads.count(S.Handler));
    nameStep(N, Direct ? InBlock : newBlock(InBlock), At);
  }
}

void Namer::run() {
  // Roots directly in the function's body share its block; others (in
  // if-arms) get one each.
  unsigned Top = newBlock(-1);
  const auto *Body = cast<CompoundStmt>(
      Plan.Lambda ? Plan.Lambda->getCompoundStmtBody() : Plan.Function->getBody());
  for (Step &R : Plan.Roots) {
    bool Direct = (R.Join || landsIn(Plan, Body, R.Statement)) &&
                  !Plan.LoopHeads.count(Plan.Function);
    nameStep(R, Direct ? Top : newBlock(Top), R.Statement->getBeginLoc());
  }
  // An operation beside the chain: the body of a coroutine of its own,
  // which sees none of the chain's blocks.
  for (BesideOp &B : Plan.Beside)
    nameStep(B.S, newBlock(-1), B.S.Statement->getBeginLoc());
}

bool hasMember(const CXXRecordDecl *RD, DeclarationName Name) {
  if (!RD->lookup(Name).empty())
    return true;
  if (!RD->hasDefinition())
    return false;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl())
      if (hasMember(Base, Name))
        return true;
  return false;
}

/// Whether \p Name is camelCase (no underscore, some capital).
static bool isCamel(llvm::StringRef Name) {
  return !Name.contains('_') && Name.lower() != Name;
}

/// \p Base, or Base2, Base3, ...: the first that names nothing where \p F
/// is (an identifier no token of the translation unit spelled names
/// nothing) and is none of \p Avoid.
static std::string freeName(const FunctionDecl *F, const std::string &Base,
                            llvm::ArrayRef<std::string> Avoid,
                            ASTContext &Ctx) {
  const auto *Class = dyn_cast<CXXMethodDecl>(F);
  auto Taken = [&](const std::string &N) {
    if (llvm::is_contained(Avoid, N))
      return true;
    auto It = Ctx.Idents.find(N);
    if (It == Ctx.Idents.end())
      return false;
    return !Class ||
           hasMember(Class->getParent(), DeclarationName(It->getValue()));
  };
  std::string Out = Base;
  for (unsigned I = 2; Taken(Out); ++I)
    Out = Base + std::to_string(I);
  return Out;
}

std::string coroutineName(const FunctionDecl *F, ASTContext &Ctx) {
  llvm::StringRef Name = F->getName();
  return freeName(F, (Name + (isCamel(Name) ? "Coro" : "_coro")).str(), {},
                  Ctx);
}

std::string besideName(const FunctionDecl *F, const Step &S,
                       llvm::ArrayRef<std::string> Taken, ASTContext &Ctx) {
  // The verb: `async_wait` -> wait, `asyncWait` -> Wait.
  llvm::StringRef Verb = S.Call->getDirectCallee()->getName();
  for (llvm::StringRef Prefix : {"async_", "async"})
    if (Verb.size() > Prefix.size() && Verb.starts_with(Prefix)) {
      Verb = Verb.drop_front(Prefix.size());
      break;
    }
  // The object: a member or a variable, without its underscores.
  llvm::StringRef Object;
  const Expr *E = nullptr;
  if (const auto *M = dyn_cast<CXXMemberCallExpr>(S.Call))
    E = M->getImplicitObjectArgument();
  else if (S.Call->getNumArgs() > 0)
    E = S.Call->getArg(0);
  if (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MemberExpr>(E))
      Object = M->getMemberDecl()->getName();
    else if (const auto *R = dyn_cast<DeclRefExpr>(E))
      Object = R->getDecl()->getName();
  }
  Object = Object.trim('_');
  if (Object.empty())
    Object = F->getName();
  bool Camel = isCamel(F->getName()) || isCamel(Object);
  std::string Base = Object.str();
  if (Camel) {
    std::string Word = Verb.str();
    if (!Word.empty())
      Word[0] = llvm::toUpper(Word[0]);
    Base += Word;
  } else {
    Base += "_" + Verb.lower();
  }
  return freeName(F, Base, Taken, Ctx);
}

} // namespace awaitify::detail
