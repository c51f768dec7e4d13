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
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace awaitify::detail {

/// `p = v;` for the parameters of a loop head, through temporaries when a
/// new value reads another parameter.
std::string PlanRewriter::renderAssign(llvm::ArrayRef<ParmVarDecl *> Params,
                                       llvm::ArrayRef<std::string> Values) {
  std::string Out;
  bool Temporaries = Params.size() > 1;
  for (size_t I = 0; I < Params.size(); ++I) {
    std::string Name = finalName(Params[I]);
    if (Values[I] == Name)
      continue;
    if (Temporaries)
      Out += "auto next_" + Name + " = " + Values[I] + ";\n";
    else
      Out += Name + " = " + Values[I] + ";\n";
  }
  if (Temporaries)
    for (size_t I = 0; I < Params.size(); ++I) {
      std::string Name = finalName(Params[I]);
      if (Values[I] != Name)
        Out += Name + " = std::move(next_" + Name + ");\n";
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
  if (S.BackEdge)
    return true; // `continue;`
  if (S.Handler && Plan.LoopHeads.count(S.Handler))
    return false; // the loop's `}`
  return endsWithJump(S.body());
}

bool PlanRewriter::endsWithJump(const CompoundStmt *Body) const {
  if (Body->body_empty())
    return false;
  const Stmt *Last = Body->body_back();
  if (auto It = StepStatements.find(Last); It != StepStatements.end()) {
    const Step &N = *It->second;
    // An unbraced arm ends with its new `}`; `return api(...);` with
    // `co_return;`.
    return !N.ArmOf && (isa<ReturnStmt>(N.Statement) || stepEndsWithJump(N));
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
  // Back to a loop head: its parameters take the new values.
  llvm::ArrayRef<ParmVarDecl *> Params = S.Handler->parameters();
  if (S.K == Step::HandlerCall) {
    std::vector<std::string> Values;
    if (!S.Hop) // a hop's arguments are the executor's, not the handler's
      for (const ParmVarDecl *P : Params)
        Values.push_back(exprText(argumentFor(S.Call, P)));
    return renderAssign(Params, Values) + "continue;";
  }
  // Bound values first, as the call evaluated them; then the completion.
  std::vector<std::string> Bound;
  for (const Expr *A : S.BoundArgs)
    Bound.push_back(exprText(A));
  std::string Out = renderAssign(Params.take_front(Bound.size()), Bound);
  Out += Plan.D->assignResults(*this, S, Params.drop_front(Bound.size()));
  return Out + "\ncontinue;";
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
  // Init-captures own what they own for the rest of the chain.
  if (const LambdaExpr *L = S.Continuation)
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
    const ParmVarDecl *P = S.Handler->getParamDecl(I);
    if (P->getIdentifier())
      Out += declaredType(P) + " " + finalName(P) + " = " +
             exprText(S.BoundArgs[I]) + ";\n";
  }
  Out += parameterComments(S.Continuation);
  Out += Plan.D->declareResults(*this, S);
  return Out + renderContinuation(S, /*AfterCode=*/true);
}

std::string PlanRewriter::renderStep(const Step &S) {
  std::string Out = S.BackEdge                   ? renderBackEdge(S)
                    : S.K == Step::HandlerCall ? renderHandlerCall(S)
                                               : renderAwaitStep(S);
  // `return api(...);` ended the function: so does its step.
  if (isa<ReturnStmt>(S.Statement) && !stepEndsWithJump(S))
    Out += "\nco_return;";
  if (auto It = TrailingComments.find(S.Statement);
      It != TrailingComments.end())
    Out += " " + It->second;
  return S.ArmOf ? "{\n" + Out + "\n}" : Out;
}

} // namespace awaitify::detail
