//===- Steps.cpp - How each step reads --------------------------------===//
//
// A step becomes straight-line code: an await (the dialect's) and the
// continuation's body after it; a tail call of a handler, the handler's
// parameters as locals and its body; a back edge, the loop's variables
// assigned and `continue;`.
//
//===----------------------------------------------------------------------===//
#include "rewrite/Rewriter.h"
#include "dialect/Dialect.h"
#include "support/Ast.h"
#include "support/Walk.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace awaitify::detail {

/// `p = v;` for the parameters of a loop head that change. A value may read
/// another parameter's old value: the one it reads is assigned after it.
/// Where that cannot be (`a = b; b = a + b;`), or a value may have an effect
/// (whose order against the others' must stay as the call had it), every
/// value goes through a temporary first.
std::string PlanRewriter::renderAssign(llvm::ArrayRef<ParmVarDecl *> Params,
                                       llvm::ArrayRef<std::string> Values,
                                       llvm::ArrayRef<const Expr *> Exprs) {
  llvm::SmallVector<size_t, 4> Changed;
  for (size_t I = 0; I < Params.size() && I < Values.size(); ++I)
    if (Values[I] != finalName(Params[I]))
      Changed.push_back(I);
  if (Changed.empty())
    return "";
  // The changed parameters (by the name the code reads them by) that each
  // value reads, besides its own.
  const ASTContext &Ctx = Params.front()->getASTContext();
  // (One value alone is assigned as it is, effects and all.)
  bool Pure = true;
  std::vector<llvm::SmallPtrSet<size_t, 2>> Reads(Params.size());
  for (size_t I : Changed) {
    Pure &= Changed.size() == 1 ||
            (I < Exprs.size() && !Exprs[I]->HasSideEffects(Ctx));
    if (!Pure)
      break;
    walk(Exprs[I], [&](const Stmt &N) {
      if (const auto *R = dyn_cast<DeclRefExpr>(&N))
        for (size_t J : Changed)
          if (J != I && finalName(R->getDecl()) == finalName(Params[J]))
            Reads[I].insert(J);
      return true;
    });
  }
  // An order in which no value reads a parameter assigned before it.
  llvm::SmallVector<size_t, 4> Order;
  llvm::SmallVector<size_t, 4> Left(Changed);
  while (Pure && !Left.empty()) {
    auto Next = llvm::find_if(Left, [&](size_t I) {
      return llvm::none_of(Left, [&](size_t J) { return Reads[J].count(I); });
    });
    if (Next == Left.end())
      break;
    Order.push_back(*Next);
    Left.erase(Next);
  }
  std::string Out;
  if (Pure && Left.empty()) {
    for (size_t I : Order)
      Out += finalName(Params[I]) + " = " + Values[I] + ";\n";
    return Out;
  }
  for (size_t I : Changed)
    Out += "auto next_" + finalName(Params[I]) + " = " + Values[I] + ";\n";
  for (size_t I : Changed) {
    std::string Name = finalName(Params[I]);
    // Moved only where a move may do less than a copy.
    bool Move = !Params[I]->getType().getNonReferenceType()
                     .isTriviallyCopyableType(Ctx);
    Out += Name + " = " + (Move ? "std::move(next_" + Name + ")"
                                : "next_" + Name) + ";\n";
  }
  return Out;
}

std::string PlanRewriter::parameterComments(const LambdaExpr *L) const {
  if (!L || !L->hasExplicitParameters())
    return "";
  unsigned B = offset(L->getIntroducerRange().getEnd()) + 1;
  unsigned E = offset(L->getCompoundStmtBody()->getLBracLoc());
  std::string Out;
  Lexer Lex(SM.getLocForStartOfFile(File),
            LangOpts, Code.data(), Code.data() + B, Code.data() + Code.size());
  Lex.SetCommentRetentionState(true);
  Token Tok;
  for (;;) {
    Lex.LexFromRawLexer(Tok);
    if (Tok.is(tok::eof) || offset(Tok.getLocation()) >= E)
      break;
    if (Tok.is(tok::comment))
      Out += Code.substr(offset(Tok.getLocation()), Tok.getLength()).rtrim().str() + "\n";
  }
  return Out;
}

std::string PlanRewriter::renderContinuation(const Step &S, bool AfterCode) {
  const CompoundStmt *Body = S.body();
  std::string Rest = llvm::StringRef(render(offset(Body->getLBracLoc()) + 1,
                                            offset(Body->getRBracLoc())))
                         .rtrim()
                         .str();
  if (!AfterCode)
    Rest = llvm::StringRef(Rest).ltrim().str();
  if (S.Handler && Plan.LoopHeads.count(S.Handler))
    return (AfterCode ? "\n" : "") + loop(Rest, endsWithJump(Body));
  return Rest;
}

bool PlanRewriter::stepEndsWithJump(const Step &S) const {
  if (S.Arrives) // the handler's code follows the block
    return endsWithJump(cast<CompoundStmt>(S.Handler->getBody()));
  if (S.BackEdge)
    return true; // `continue;`
  if (S.Handler && Plan.LoopHeads.count(S.Handler))
    return true; // `for (;;)`, left only by `co_return;`
  return endsWithJump(S.body());
}

bool PlanRewriter::endsWithJump(const CompoundStmt *Body) const {
  return !Body->body_empty() && endsWithJump(Body->body_back());
}

bool PlanRewriter::endsWithJump(const Stmt *Last) const {
  if (auto It = StepStatements.find(Last); It != StepStatements.end()) {
    const Step &N = *It->second;
    // An unbraced arm ends with its new `}` (unless it goes on after a
    // guard); `return api(...);` with `co_return;`.
    return (!N.ArmOf || Plan.Guards.count(N.ArmOf)) &&
           (isa<ReturnStmt>(N.Statement) || stepEndsWithJump(N));
  }
  if (const auto *C = dyn_cast<CompoundStmt>(Last))
    return endsWithJump(C);
  if (const auto *If = dyn_cast<IfStmt>(Last)) {
    if (auto G = Plan.Guards.find(If); G != Plan.Guards.end())
      return endsWithJump(G->second ? If->getThen() : If->getElse());
    if (Plan.ElseDropped.count(If)) // what follows the if: the else-arm
      return endsWithJump(If->getElse());
    // Both arms jump (an unbraced step arm ends with its new `}` either way).
    return If->getElse() && endsWithJump(If->getThen()) &&
           endsWithJump(If->getElse());
  }
  // `return;` becomes `co_return;`, `return f(x);` `f(x); co_return;`.
  return isa<ReturnStmt>(Last);
}

std::string PlanRewriter::loop(const std::string &Body,
                               bool EndsWithJump) const {
  // The body starts on a line of its own, comment or not.
  std::string Out = "for (;;) {\n" + llvm::StringRef(Body).ltrim().str();
  if (!EndsWithJump)
    Out += "\nco_return;";
  return Out + "\n}";
}

std::string PlanRewriter::renderBackEdge(const Step &S) {
  // Back to a loop that starts with this same operation: the next turn.
  if (RotatedBackEdges.count(&S))
    return FinalBackEdges.count(&S) ? "" : "continue;";
  // Back to a loop head: its parameters take the new values.
  llvm::ArrayRef<ParmVarDecl *> Params = S.Handler->parameters();
  if (S.K == Step::HandlerCall) {
    std::vector<std::string> Values;
    std::vector<const Expr *> Exprs;
    if (!S.Hop) // a hop's arguments are the executor's, not the handler's
      for (const ParmVarDecl *P : Params) {
        Exprs.push_back(argumentFor(S.Call, P));
        Values.push_back(exprText(Exprs.back()));
      }
    std::string Out = renderAssign(Params, Values, Exprs);
    return FinalBackEdges.count(&S) ? llvm::StringRef(Out).rtrim().str()
                                    : Out + "continue;";
  }
  // Bound values first, as the call evaluated them; then the completion.
  std::vector<std::string> Bound;
  for (const Expr *A : S.BoundArgs)
    Bound.push_back(exprText(A));
  llvm::SmallVector<ParmVarDecl *, 4> BoundParams(S.boundParams());
  llvm::SmallVector<ParmVarDecl *, 4> Results(S.params());
  std::string Out = renderAssign(BoundParams, Bound, S.BoundArgs);
  Out += Plan.D->assignResults(*this, S, Results);
  return FinalBackEdges.count(&S) ? Out : Out + "\ncontinue;";
}

std::string PlanRewriter::renderHandlerCall(const Step &S) {
  // The handler's parameters become locals initialised like parameters.
  std::string Out;
  if (!S.Hop)
    for (const ParmVarDecl *P : S.Handler->parameters()) {
      if (!P->getIdentifier() || Plan.Aliases.count(P))
        continue;
      const Expr *Arg = argumentFor(S.Call, P);
      // `T&& p` given a temporary: the local is that object, `T p = ...`.
      // A loop head's `const T&` one is a copy the loop assigns.
      std::string Type =
          (P->getType()->isRValueReferenceType() &&
           isa<MaterializeTemporaryExpr>(Arg->IgnoreParens())) ||
                  localType(P) != writtenType(P).Decl
              ? localType(P)
              : declaredType(P);
      Out += Type + " " + finalName(P) + " = " + exprText(Arg) + ";\n";
    }
  return Out + renderContinuation(S, /*AfterCode=*/false);
}

std::string PlanRewriter::renderAwaitStep(const Step &S) {
  std::string Out;
  // Init-captures own what they own for the rest of the chain (beside it,
  // they are the coroutine's parameters).
  bool Beside = llvm::any_of(Plan.Beside,
                             [&](const BesideOp &B) { return &B.S == &S; });
  if (const LambdaExpr *L = S.Continuation; L && !Beside)
    for (const LambdaCapture &C : L->captures()) {
      if (!C.capturesVariable())
        continue;
      const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
      if (!V || !L->isInitCapture(&C) || Plan.Aliases.count(V) ||
          Plan.DroppedInitCaptures.count(V))
        continue;
      Out += "auto ";
      if (C.getCaptureKind() == LCK_ByRef)
        Out += "&";
      Out += finalName(V);
      if (V->getInitStyle() == VarDecl::CInit)
        Out += " = ";
      Out += exprText(V->getInit()) + ";\n";
    }
  // Values bound ahead of the completion's, evaluated where the call was.
  for (unsigned I = 0; I < S.BoundArgs.size(); ++I) {
    const ParmVarDecl *P = S.boundParams()[I];
    if (P->getIdentifier() && !Plan.Aliases.count(P))
      Out += declaredType(P) + " " + finalName(P) + " = " +
             exprText(S.BoundArgs[I]) + ";\n";
  }
  if (RotatedLoops.count(&S)) {
    // The loop starts with the operation that every turn starts with.
    const CompoundStmt *Body = S.body();
    std::string Rest = llvm::StringRef(render(offset(Body->getLBracLoc()) + 1,
                                              offset(Body->getRBracLoc())))
                           .trim()
                           .str();
    return Out + "for (;;) {\n" + parameterComments(S.Continuation) +
           Plan.D->declareResults(*this, S) + "\n" + Rest +
           (endsWithJump(Body) ? "" : "\nco_return;") + "\n}";
  }
  Out += parameterComments(S.Continuation);
  Out += Plan.D->declareResults(*this, S);
  return Out + renderContinuation(S, /*AfterCode=*/true);
}

/// The tokens of \p Code, as spelled: two spellings of a call that differ
/// only in layout compare equal.
static std::vector<std::string> tokens(llvm::StringRef Code,
                                       const LangOptions &LO) {
  std::vector<std::string> Out;
  Lexer Lex(SourceLocation(), LO, Code.begin(), Code.begin(), Code.end());
  Token Tok;
  for (;;) {
    Lex.LexFromRawLexer(Tok);
    if (Tok.is(tok::eof))
      break;
    const char *End = Lex.getBufferLocation();
    Out.emplace_back(End - Tok.getLength(), Tok.getLength());
  }
  return Out;
}

void PlanRewriter::collectRotatedLoops() {
  // A loop whose one way in is an operation, and every way back the same
  // operation (the same call, spelled the same): the loop starts with it,
  // and the ways back only go on to the next turn.
  const std::string Mark = "awaitify_callback_";
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (S.BackEdge || S.K != Step::Await || !S.Handler ||
        !Plan.LoopHeads.count(S.Handler) || !S.BoundArgs.empty() ||
        S.Handler == Plan.Function)
      return;
    std::vector<std::string> Call = tokens(callWithCallback(S, Mark), LangOpts);
    bool Same = true;
    unsigned Entries = 0;
    forEachStep(Plan.Roots, [&](const Step &O) {
      if (O.Handler != S.Handler)
        return;
      if (!O.BackEdge)
        ++Entries;
      else
        Same &= O.K == Step::Await && O.BoundArgs.empty() &&
                tokens(callWithCallback(O, Mark), LangOpts) == Call;
    });
    if (Same && Entries == 1)
      RotatedLoops.insert(&S);
  });
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (S.BackEdge && llvm::any_of(RotatedLoops, [&](const Step *R) {
          return R->Handler == S.Handler;
        }))
      RotatedBackEdges.insert(&S);
  });
}

std::string PlanRewriter::renderArrival(const Step &S) const {
  // The handler's parameters take this call's values; its code follows
  // the block (joinEdits).
  std::string Out;
  for (const ParmVarDecl *P : S.Handler->parameters()) {
    if (!Plan.named(P))
      continue;
    std::string Name = finalName(P);
    std::string Value = exprText(argumentFor(S.Call, P));
    if (Value != Name)
      Out += Name + " = " + Value + ";\n";
  }
  return llvm::StringRef(Out).rtrim().str();
}

void PlanRewriter::collectJoinEdits(const Step &S, unsigned StepEnd) {
  const Step::JoinPoint &J = *S.Join;
  // The end of statement \p St, past the edits in it that reach further
  // (a comment an arm's step took along).
  auto After = [&](const Stmt *St) {
    unsigned B = offset(St->getBeginLoc());
    unsigned At = endWithSemi(St->getEndLoc());
    for (const MicroEdit &M : Edits)
      if (M.Begin >= B && M.Begin < At && M.End > At)
        At = M.End;
    return At;
  };
  // The parameters, declared before the first call's statement.
  std::string Decls;
  for (const ParmVarDecl *P : S.Handler->parameters())
    if (Plan.named(P))
      Decls += writtenType(P).Arg + " " + finalName(P) +
               (P->getType().getNonReferenceType()->isScalarType() ? "{}"
                                                                   : "") +
               ";\n";
  unsigned First = offset(J.First->getBeginLoc());
  if (!Decls.empty())
    Edits.push_back({First, First, [Decls] { return Decls; }});
  // What followed an early call is the else-arm of its if.
  bool Assigns = !Decls.empty();
  unsigned Braces = 0;
  for (unsigned I = 0; I < J.EarlyIfs.size(); ++I) {
    const IfStmt *If = J.EarlyIfs[I];
    unsigned At = After(If);
    unsigned B = offset(If->getBeginLoc());
    llvm::StringRef Written = text(B, At);
    if (J.CallOnly[I] && !Assigns && !Written.contains("//") &&
        !Written.contains("/*")) {
      // `if (c) return h();` leaves nothing in its then-arm: what follows
      // runs when the condition does not hold.
      Edits.push_back({B, At, [this, If] {
                         return "if (" + negated(If->getCond()) + ") {";
                       }});
      ++Braces;
      continue;
    }
    std::string Else = J.ElseIf[I] ? " else" : " else {";
    Braces += !J.ElseIf[I];
    Edits.push_back({At, At, [Else] { return Else; }});
  }
  unsigned End = J.Last == S.Statement ? StepEnd : After(J.Last);
  Edits.push_back({End, End, [this, &S, Braces] {
                     return (Braces ? "\n" + std::string(Braces, '}') : "") +
                            "\n" + renderContinuation(S, /*AfterCode=*/false);
                   }});
}

std::string PlanRewriter::renderStep(const Step &S) {
  std::string Out = S.Arrives                    ? renderArrival(S)
                    : S.BackEdge                 ? renderBackEdge(S)
                    : S.K == Step::HandlerCall ? renderHandlerCall(S)
                                               : renderAwaitStep(S);
  // `return api(...);` ended the function: so does its step.
  if (isa<ReturnStmt>(S.Statement) && !S.Arrives && !stepEndsWithJump(S))
    Out += "\nco_return;";
  if (auto It = TrailingComments.find(S.Statement);
      It != TrailingComments.end())
    Out += " " + It->second;
  // The `return;` or `break;` that the step took along.
  if (TakenEnders.count(&S) && !S.Arrives &&
      !(isa<ReturnStmt>(S.Statement) || stepEndsWithJump(S)))
    Out += isa<BreakStmt>(S.Ender) ? "\nbreak;" : "\nco_return;";
  if (S.CaseBegin == S.Statement && caseNeedsBraces(S))
    return "{\n" + Out + "\n}";
  return S.ArmOf && !Plan.Guards.count(S.ArmOf) ? "{\n" + Out + "\n}" : Out;
}

void PlanRewriter::collectFinalBackEdges(const Stmt *Last,
                                         const FunctionDecl *Head) {
  if (const auto *C = dyn_cast_or_null<CompoundStmt>(Last)) {
    if (!C->body_empty())
      collectFinalBackEdges(C->body_back(), Head);
    return;
  }
  if (auto It = StepStatements.find(Last); It != StepStatements.end()) {
    const Step &N = *It->second;
    if (N.BackEdge) {
      if (N.Handler == Head && (!N.ArmOf || Plan.Guards.count(N.ArmOf)))
        FinalBackEdges.insert(&N);
    } else if (!(N.Handler && Plan.LoopHeads.count(N.Handler))) {
      collectFinalBackEdges(N.body(), Head); // a loop of its own
    }
    return;
  }
  if (const auto *If = dyn_cast_or_null<IfStmt>(Last)) {
    if (auto G = Plan.Guards.find(If); G != Plan.Guards.end())
      collectFinalBackEdges(G->second ? If->getThen() : If->getElse(), Head);
    else if (Plan.ElseDropped.count(If))
      collectFinalBackEdges(If->getElse(), Head);
  }
}

std::string PlanRewriter::renderInline(const Stmt *S) const {
  if (const auto *C = dyn_cast<CompoundStmt>(S))
    return llvm::StringRef(
               render(offset(C->getLBracLoc()) + 1, offset(C->getRBracLoc())))
        .trim()
        .str();
  unsigned B = offset(S->getBeginLoc());
  unsigned E = statementEnd(S);
  // A step's edit may take the comment after it along.
  for (const MicroEdit &M : Edits)
    if (M.Begin == B)
      E = std::max(E, M.End);
  return llvm::StringRef(render(B, E)).trim().str();
}

/// Whether \p E reads as an operand of `!` without parentheses.
static bool isPrimary(const Expr *E) {
  E = E->IgnoreImplicit();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    return Op->getOperator() == OO_Call || Op->getOperator() == OO_Subscript ||
           Op->getOperator() == OO_Arrow;
  return isa<DeclRefExpr, MemberExpr, CallExpr, ParenExpr, ArraySubscriptExpr,
             CXXBoolLiteralExpr, IntegerLiteral>(E);
}

std::string PlanRewriter::negated(const Expr *Cond) const {
  auto Text = [&](const Expr *E) {
    return render(offset(E->getBeginLoc()), tokenEnd(E->getEndLoc()));
  };
  const Expr *C = Cond->IgnoreImplicit();
  if (const auto *U = dyn_cast<UnaryOperator>(C);
      U && U->getOpcode() == UO_LNot) {
    const Expr *Sub = U->getSubExpr()->IgnoreImplicit();
    if (const auto *P = dyn_cast<ParenExpr>(Sub))
      Sub = P->getSubExpr();
    return Text(Sub);
  }
  // `a && b` -> `!a || !b` (De Morgan; each operand is evaluated, or
  // skipped, as before), an operand that is itself one in parentheses.
  if (const auto *B = dyn_cast<BinaryOperator>(C->IgnoreParens());
      B && B->isLogicalOp()) {
    auto Operand = [&](const Expr *E) {
      std::string T = negated(E);
      const auto *Inner = dyn_cast<BinaryOperator>(E->IgnoreParenImpCasts());
      return Inner && Inner->isLogicalOp() ? "(" + T + ")" : T;
    };
    return Operand(B->getLHS()) +
           (B->getOpcode() == BO_LAnd ? " || " : " && ") +
           Operand(B->getRHS());
  }
  // Built-in comparisons of integers, pointers and enums (not floating
  // point: a NaN compares false both ways).
  if (const auto *B = dyn_cast<BinaryOperator>(C); B && B->isComparisonOp()) {
    QualType T = B->getLHS()->IgnoreImpCasts()->getType();
    bool Exact = T->isIntegralOrEnumerationType() || T->isPointerType() ||
                 B->isEqualityOp();
    if (Exact && !T->isRealFloatingType() &&
        !B->getRHS()->IgnoreImpCasts()->getType()->isRealFloatingType()) {
      BinaryOperatorKind Op = B->getOpcode();
      BinaryOperatorKind Neg = Op == BO_EQ   ? BO_NE
                               : Op == BO_NE ? BO_EQ
                               : Op == BO_LT ? BO_GE
                               : Op == BO_GE ? BO_LT
                               : Op == BO_GT ? BO_LE
                                             : BO_GT;
      return Text(B->getLHS()) + " " +
             BinaryOperator::getOpcodeStr(Neg).str() + " " + Text(B->getRHS());
    }
  }
  // `a != b` that C++20 rewrote as `!(a == b)`: `a == b` exactly.
  if (const auto *RW = dyn_cast<CXXRewrittenBinaryOperator>(C))
    if (RW->getOpcode() == BO_NE && !RW->isReversed())
      return Text(RW->getLHS()) + " == " + Text(RW->getRHS());
  // The standard library's and Boost's == and != are each other's
  // negation (iterators, error codes, strings).
  if (const auto *O = dyn_cast<CXXOperatorCallExpr>(C);
      O && O->getNumArgs() == 2 &&
      (O->getOperator() == OO_EqualEqual ||
       O->getOperator() == OO_ExclaimEqual))
    if (const FunctionDecl *F = O->getDirectCallee()) {
      const NamespaceDecl *Outer = nullptr;
      for (const DeclContext *DC = F->getDeclContext(); DC;
           DC = DC->getParent())
        if (const auto *NS = dyn_cast<NamespaceDecl>(DC); NS && !NS->isInline())
          Outer = NS;
      if (Outer && (Outer->getName() == "std" || Outer->getName() == "boost"))
        return Text(O->getArg(0)) +
               (O->getOperator() == OO_EqualEqual ? " != " : " == ") +
               Text(O->getArg(1));
    }
  std::string T = Text(C);
  return isPrimary(C) ? "!" + T : "!(" + T + ")";
}

std::string PlanRewriter::renderGuard(const IfStmt *If, bool ThenGoes) {
  const Stmt *Exit = ThenGoes ? If->getElse() : If->getThen();
  const Stmt *On = ThenGoes ? If->getThen() : If->getElse();
  const Expr *Cond = If->getCond();
  std::string Out =
      "if (" +
      (ThenGoes ? negated(Cond)
                : render(offset(Cond->getBeginLoc()),
                         tokenEnd(Cond->getEndLoc()))) +
      ")";
  if (!Exit) {
    Out += "\nco_return;";
  } else if (isa<ReturnStmt>(Exit)) {
    Out += " " + renderInline(Exit); // `co_return;`, or braced with the call
  } else {
    std::string Body = renderInline(Exit);
    const auto *C = dyn_cast<CompoundStmt>(Exit);
    bool Jumps = C ? endsWithJump(C) : endsWithJump(Exit);
    Out += " {\n" + Body + (Jumps ? "" : "\nco_return;") + "\n}";
  }
  return Out + "\n" + renderInline(On);
}

void PlanRewriter::collectDroppedElses() {
  for (const IfStmt *If : Plan.ElseDropped) {
    if (SM.getFileID(SM.getFileLoc(If->getBeginLoc())) != File)
      continue;
    const Stmt *Else = If->getElse();
    unsigned B = offset(If->getElseLoc());
    // After `}` on its line, what follows starts a line of its own; after
    // a comment line it takes the line `else` was on.
    size_t LineStart = Code.rfind('\n', B);
    LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
    std::string Break =
        Code.slice(LineStart, B).trim().empty() ? "" : "\n";
    if (const auto *C = dyn_cast<CompoundStmt>(Else)) {
      // `else { ... }`: its statements follow the if.
      unsigned E = offset(C->getRBracLoc()) + 1;
      Edits.push_back(
          {B, E, [this, C, Break] { return Break + renderInline(C); }});
    } else {
      // `else if`: an if of its own.
      unsigned E = offset(Else->getBeginLoc());
      Edits.push_back({B, E, [Break] { return Break; }});
    }
  }
}

void PlanRewriter::collectGuardEdits() {
  for (const auto &[If, ThenGoes] : Plan.Guards) {
    if (SM.getFileID(SM.getFileLoc(If->getBeginLoc())) != File)
      continue;
    unsigned B = offset(If->getBeginLoc());
    unsigned E = endWithSemi(If->getEndLoc());
    for (const MicroEdit &M : Edits)
      if (M.Begin >= B && M.Begin < E)
        E = std::max(E, M.End);
    const IfStmt *I = If;
    bool Then = ThenGoes;
    Edits.push_back({B, E, [this, I, Then] { return renderGuard(I, Then); }});
  }
}

} // namespace awaitify::detail
