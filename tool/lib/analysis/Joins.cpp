//===- Joins.cpp - A handler called from several arms of one block ---------===//
//
// `if (quit) { reply_ = "BYE"; return do_write(false); } ...; do_write(true);`
// calls do_write from two tail sites of one block. A person writes the
// handler once, after the branch: each call assigns its parameters, what
// followed an early `return do_write(...)` becomes the else-arm of its if,
// and the handler's code follows the block's last statement. That is the
// same program when every path through the block either ends or reaches
// one of the calls, and nothing the moved code declares has a destructor
// that does something (it now dies before the handler's code runs, not
// after).
//
//===----------------------------------------------------------------------===//
#include "analysis/Finder.h"
#include "analysis/Handlers.h"
#include "support/Ast.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/MapVector.h"

using namespace clang;

namespace awaitify::detail {

namespace {
/// Whether declaring a \p T, assigning it and destroying it runs none of
/// the program's own code: a scalar, a standard library type, or a class
/// whose default constructor, assignments and destructor are the compiler's
/// (or constexpr, for the constructor) over members and bases of such
/// types. A join declares its parameters before the calls and assigns
/// them; the original constructed each from its value.
bool quietValue(QualType T, unsigned Depth = 0) {
  T = T.getCanonicalType().getUnqualifiedType();
  if (T->isScalarType())
    return true;
  if (const auto *A = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    return quietValue(A->getElementType(), Depth);
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || Depth > 8)
    return false;
  RD = RD->getDefinition();
  if (RD->isInStdNamespace())
    return true;
  auto Compilers = [](const CXXMethodDecl *M) {
    return !M->isUserProvided() || M->isTrivial();
  };
  for (const CXXConstructorDecl *C : RD->ctors())
    if (C->isDefaultConstructor() && !Compilers(C) && !C->isConstexpr())
      return false;
  for (const CXXMethodDecl *M : RD->methods())
    if ((M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator()) &&
        !Compilers(M))
      return false;
  if (const CXXDestructorDecl *D = RD->getDestructor(); D && !Compilers(D))
    return false;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (!quietValue(B.getType(), Depth + 1))
      return false;
  for (const FieldDecl *F : RD->fields())
    if (!quietValue(F->getType(), Depth + 1))
      return false;
  return true;
}

/// The statement of \p Body that contains \p S.
const Stmt *topLevel(const CompoundStmt *Body, const Stmt *S,
                     const SourceManager &SM) {
  for (const Stmt *Child : Body->body())
    if (contains(SM, Child->getSourceRange(), S->getBeginLoc()))
      return Child;
  return nullptr;
}

/// Whether every path through \p S that falls off its end reaches one of
/// \p Sites last (counted in \p Reached), or ends with `return;` first.
bool arrives(const Stmt *S, const llvm::SmallPtrSetImpl<const Stmt *> &Sites,
             unsigned &Reached) {
  if (!S)
    return false;
  if (Sites.count(S)) {
    ++Reached;
    return true;
  }
  if (isBareReturn(S))
    return true;
  if (const auto *C = dyn_cast<CompoundStmt>(S)) {
    if (C->body_empty())
      return false;
    const Stmt *Last = C->body_back();
    if (isBareReturn(Last) && C->size() > 1 &&
        Sites.count(C->body_begin()[C->size() - 2])) {
      ++Reached;
      return true;
    }
    return arrives(Last, Sites, Reached);
  }
  if (const auto *If = dyn_cast<IfStmt>(S))
    return If->getElse() && !If->isConsteval() &&
           arrives(If->getThen(), Sites, Reached) &&
           arrives(If->getElse(), Sites, Reached);
  return false;
}

/// The first local declared in \p S (outside lambdas) whose destruction
/// may do something: one that now dies before the handler's code runs.
const VarDecl *eventfulLocal(const Stmt *S) {
  struct Visitor : RecursiveASTVisitor<Visitor> {
    const VarDecl *Found = nullptr;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitVarDecl(VarDecl *V) {
      QualType T = V->getType();
      if (T->isReferenceType() ||
          T.isDestructedType() == QualType::DK_none ||
          classTemplateName(T) == "std::basic_string")
        return true;
      Found = V;
      return false;
    }
  } Check;
  Check.TraverseStmt(const_cast<Stmt *>(S));
  return Check.Found;
}
} // namespace

std::optional<std::string>
Finder::joinProblem(const CompoundStmt *Body,
                    llvm::ArrayRef<const TailSite *> Calls,
                    const FunctionDecl *H, Step::JoinPoint &J) const {
  for (const ParmVarDecl *P : H->parameters()) {
    QualType T = P->getType();
    if (!P->getIdentifier())
      continue;
    if (T->isReferenceType() &&
        !(T->isLValueReferenceType() &&
          T.getNonReferenceType().isConstQualified()))
      return "its parameter '" + P->getName().str() +
             "' is a reference the calls would have to bind";
    QualType V = T.getNonReferenceType().getUnqualifiedType();
    const CXXRecordDecl *RD = V->getAsCXXRecordDecl();
    if (!V->isScalarType() &&
        !(RD && RD->hasDefinition() &&
          (RD->hasDefaultConstructor() ||
           RD->needsImplicitDefaultConstructor())))
      return "its parameter '" + P->getName().str() +
             "' cannot be declared before the calls assign it";
    if (!quietValue(V))
      return "its parameter '" + P->getName().str() + "' (" +
             V.getAsString(Ctx.getPrintingPolicy()) +
             ") would be default-constructed and then assigned, not "
             "constructed from its value: its own code would run";
  }
  // A value passed to an unnamed parameter is not kept: it must not do
  // anything either.
  for (const TailSite *C : Calls)
    for (const ParmVarDecl *P : H->parameters())
      if (!P->getIdentifier())
        if (const Expr *A = argumentFor(statementCall(C->S), P);
            A && A->HasSideEffects(Ctx))
          return std::string("a value it is passed for an unnamed parameter "
                             "has side effects");
  // The block's last statement, before a final `return;`.
  llvm::ArrayRef<Stmt *> Stmts(Body->body_begin(), Body->body_end());
  if (!Stmts.empty() && isBareReturn(Stmts.back()))
    Stmts = Stmts.drop_back();
  if (Stmts.empty())
    return std::string("the block is empty");
  J.Last = Stmts.back();
  const char *NotAtAnEnd = "a call is not at the end of the block, nor the "
                           "last of an if's then-arm that returns";
  llvm::SmallPtrSet<const Stmt *, 4> InLast;
  for (const TailSite *C : Calls) {
    J.Calls.push_back(C->S);
    const Stmt *Top = topLevel(Body, C->S, SM);
    if (!J.First)
      J.First = Top;
    if (Top == J.Last) {
      InLast.insert(C->S);
      continue;
    }
    // `if (c) { ...; return h(x); }`: the rest of the block becomes its
    // else-arm.
    const auto *If = dyn_cast_or_null<IfStmt>(Top);
    if (!If || If->getElse() || If->isConsteval() || If->isConstexpr() ||
        If->getInit() || If->getConditionVariable() ||
        inMacro(If->getBeginLoc()) || inMacro(If->getEndLoc()) ||
        !(isa<ReturnStmt>(C->S) || (C->Ender && isa<ReturnStmt>(C->Ender))))
      return std::string(NotAtAnEnd);
    const Stmt *Then = If->getThen();
    const auto *Arm = dyn_cast<CompoundStmt>(Then);
    bool Ends = Then == C->S ||
                (Arm && !Arm->body_empty() &&
                 (Arm->body_back() == C->S || Arm->body_back() == C->Ender));
    if (!Ends || llvm::is_contained(J.EarlyIfs, If))
      return std::string(NotAtAnEnd);
    J.EarlyIfs.push_back(If);
    J.CallOnly.push_back(Then == C->S || Arm->size() == 1 ||
                         (Arm->size() == 2 && Arm->body_back() == C->Ender));
  }
  for (const IfStmt *If : J.EarlyIfs) {
    const Stmt *const *At = llvm::find(Stmts, If);
    // Followed by one if (the next early one, or a last if/else): `else
    // if`.
    J.ElseIf.push_back(At + 1 != Stmts.end() && isa<IfStmt>(At[1]) &&
                       (llvm::is_contained(J.EarlyIfs, At[1]) ||
                        At[1] == J.Last));
  }
  unsigned Reached = 0;
  if (!InLast.empty() && (!arrives(J.Last, InLast, Reached) ||
                          Reached != InLast.size()))
    return std::string("a way through the block's last statement ends "
                       "without calling it");
  if (InLast.empty())
    return std::string("the block's last statement does not call it");
  // What the early ifs' arms and everything after the first of them
  // declare now dies before the handler's code runs.
  bool Moved = false;
  for (const Stmt *S : Stmts) {
    const auto *If = dyn_cast<IfStmt>(S);
    bool Early = If && llvm::is_contained(J.EarlyIfs, If);
    const Stmt *Scope = Early ? If->getThen() : Moved || S == J.Last ? S
                                                                     : nullptr;
    Moved |= Early;
    if (!Scope || (S == J.Last && InLast.count(S)))
      continue;
    if (const VarDecl *V = eventfulLocal(Scope))
      return "'" + V->getName().str() + "' (" +
             V->getType().getAsString(Ctx.getPrintingPolicy()) +
             ") would be destroyed before the handler runs, not after";
  }
  return std::nullopt;
}

void Finder::recognizeAll(const CompoundStmt *Body,
                          llvm::ArrayRef<TailSite> Sites, unsigned Depth,
                          FunctionState &St, std::vector<Step> &Out) {
  // The handlers called at several tail sites of this block and nowhere
  // else, in order of their first call.
  llvm::MapVector<const FunctionDecl *, llvm::SmallVector<const TailSite *, 2>>
      Calls;
  for (const TailSite &Site : Sites) {
    const CallExpr *Call = statementCall(Site.S);
    const FunctionDecl *H = Call ? Call->getDirectCallee() : nullptr;
    if (!H || !H->getDefinition() || ruleFor(H) ||
        !isHandlerCandidate(H, St.F, SM) || !onThis(Call) ||
        !Site.S->getBeginLoc().isFileID() ||
        llvm::is_contained(St.Path, H->getCanonicalDecl()))
      continue;
    Calls[H->getCanonicalDecl()].push_back(&Site);
  }
  llvm::DenseMap<const Stmt *, const FunctionDecl *> Joined;
  llvm::DenseMap<const FunctionDecl *, std::shared_ptr<Step::JoinPoint>>
      Points;
  for (auto &[H, List] : Calls) {
    if (List.size() < 2 || Index.references(H) != List.size() || !Body ||
        namedElsewhere(H))
      continue;
    auto J = std::make_shared<Step::JoinPoint>();
    if (auto Why = joinProblem(Body, List, H->getDefinition(), *J)) {
      stopAt(St, H, namedElsewhereToo(H, statementCall(List[0]->S)) +
                        " (its calls cannot meet after the branch: " + *Why +
                        ")");
      continue;
    }
    for (const TailSite *Site : List)
      Joined[Site->S] = H;
    Points[H] = std::move(J);
  }
  for (const TailSite &Site : Sites) {
    auto It = Joined.find(Site.S);
    if (It == Joined.end()) {
      if (auto S = recognize(Site, Depth, St))
        Out.push_back(std::move(*S));
      continue;
    }
    const FunctionDecl *H = It->second;
    const auto &List = Calls[H];
    Step S;
    S.K = Step::HandlerCall;
    S.Call = statementCall(Site.S);
    S.Statement = Site.S;
    S.Depth = Depth;
    S.ArmOf = Site.ArmOf;
    S.Ender = Site.Ender;
    S.CaseBegin = Site.CaseBegin;
    S.Callee = qualifiedName(H);
    S.Arrives = true;
    SeenCalls.insert(S.Call);
    if (List.back() != &Site) {
      S.Handler = H->getDefinition();
      Out.push_back(std::move(S));
      continue;
    }
    // The last call inlines the handler once, for all of them.
    S.Join = Points[H];
    St.Joining = H;
    std::optional<Step> Join = handlerStep(std::move(S), H, Depth, St,
                                           Site.Conditional);
    St.Joining = nullptr;
    if (!Join) {
      // The handler awaits nothing: its calls stay calls.
      llvm::erase_if(Out, [&](const Step &O) {
        return O.Arrives && O.Handler == H->getDefinition();
      });
      continue;
    }
    Out.push_back(std::move(*Join));
  }
}

} // namespace awaitify::detail
