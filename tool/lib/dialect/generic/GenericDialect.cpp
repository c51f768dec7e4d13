//===- GenericDialect.cpp -------------------------------------------------===//
#include "dialect/generic/GenericDialect.h"
#include "analysis/KeepAlive.h"
#include "plan/Naming.h"
#include "rewrite/Rewriter.h"
#include "support/Ast.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/TypeLoc.h"

using namespace clang;

namespace awaitify::detail {

bool GenericDialect::isFrontBinder(const FunctionDecl *Callee) const {
  return isNamed(Callee, "std::bind_front");
}

bool GenericDialect::plan(FunctionPlan &Plan, const PlanContext &C,
                          std::string &Why) const {
  // The coroutine is the function itself, started when it is called -- or,
  // when other translation units see the function, a coroutine of its own
  // that the function starts. An owner of the object is taken at its start
  // when the handlers kept one.
  planKeepAlive(Plan, C.Ctx.getSourceManager());
  // A coroutine takes no references (the caller's object may be gone when
  // it resumes, C++ Core Guidelines CP.53): a function with a reference
  // parameter the chain uses starts a coroutine that takes a pointer, as
  // the callbacks held the reference.
  bool References = llvm::any_of(
      Plan.Function->parameters(), [&](const ParmVarDecl *P) {
        return P->getType()->isReferenceType() && P->isReferenced() &&
               !llvm::is_contained(Plan.ByValueParams, P);
      });
  // A lambda that becomes a coroutine keeps its parameters (one that
  // captures is left alone before: checkCaptures).
  if (Plan.Lambda) {
    if (References) {
      Why = "the enclosing lambda takes a reference, which its coroutine "
            "would keep across suspensions (C++ Core Guidelines CP.53)";
      return false;
    }
    return true;
  }
  if (References || othersSee(Plan.Function, C.Ctx.getSourceManager()))
    Plan.Coroutine = coroutineName(Plan.Function, C.Ctx);
  return true;
}

std::string GenericDialect::coroutineType(const PlanRewriter &) const {
  return "awaitify::detached";
}

void GenericDialect::nameAwait(Namer &N, Step &S) const {
  if (S.Continuation)
    S.AwaitName = N.isTaken("resume") ? N.fresh("resume") : "resume";
}

std::string GenericDialect::await(const PlanRewriter &R, const Step &S) const {
  std::string TArgs;
  auto Params = S.params();
  if (!Params.empty()) {
    TArgs = "<";
    for (size_t I = 0; I != Params.size(); ++I)
      TArgs += (I ? ", " : "") + R.writtenType(Params[I]).Arg;
    TArgs += ">";
  }
  std::string Resume = S.AwaitName.empty() ? "resume" : S.AwaitName;
  return "co_await awaitify::from_callback" + TArgs + "([&](auto " + Resume +
         ") { " + R.callWithCallback(S, Resume) + "; })";
}

std::string GenericDialect::declareResults(const PlanRewriter &R,
                                           const Step &S) const {
  std::string Await = await(R, S);
  auto Params = S.params();
  std::vector<std::string> Names, DeclTypes;
  unsigned Named = 0;
  for (const ParmVarDecl *P : Params) {
    DeclTypes.push_back(R.localType(P));
    Names.push_back(P->getIdentifier() ? R.finalName(P) : "");
    Named += P->getIdentifier() != nullptr;
  }
  if (Named == 0)
    return Await + ";";
  if (Params.size() == 1)
    return DeclTypes[0] + " " + Names[0] + " = " + Await + ";";
  if (Named == 1) {
    size_t I = 0;
    while (Names[I].empty())
      ++I;
    return DeclTypes[I] + " " + Names[I] + " = std::get<" + std::to_string(I) +
           ">(" + Await + ");";
  }
  unsigned Unused = 0;
  std::string List;
  for (size_t I = 0; I != Names.size(); ++I) {
    std::string N = Names[I];
    if (N.empty())
      N = "unused" + (Unused++ ? std::to_string(Unused) : std::string());
    List += (I ? ", " : "") + N;
  }
  return std::string(Unused ? "[[maybe_unused]] " : "") + "auto [" + List +
         "] = " + Await + ";";
}

std::string
GenericDialect::assignResults(const PlanRewriter &R, const Step &S,
                              llvm::ArrayRef<ParmVarDecl *> Params) const {
  if (Params.empty())
    return await(R, S) + ";";
  if (Params.size() == 1)
    return R.finalName(Params[0]) + " = " + await(R, S) + ";";
  std::string Names;
  for (const ParmVarDecl *P : Params)
    Names += (Names.empty() ? "" : ", ") + R.finalName(P);
  return "std::tie(" + Names + ") = " + await(R, S) + ";";
}

void GenericDialect::signatureEdits(
    const PlanRewriter &R, std::vector<tooling::Replacement> &Out) const {
  const FunctionPlan &Plan = R.plan();
  if (!Plan.Coroutine.empty())
    return; // the function keeps its signature
  if (const LambdaExpr *L = Plan.Lambda) {
    if (L->hasExplicitResultType()) {
      FunctionTypeLoc FTL = L->getCallOperator()
                                ->getTypeSourceInfo()
                                ->getTypeLoc()
                                .getAsAdjusted<FunctionTypeLoc>();
      SourceRange RT = FTL.getReturnLoc().getSourceRange();
      Out.push_back(
          R.replace(RT.getBegin(), R.tokenEnd(RT.getEnd()), "awaitify::detached"));
    } else {
      SourceLocation Brace = L->getCompoundStmtBody()->getLBracLoc();
      std::string Text = L->hasExplicitParameters()
                             ? "-> awaitify::detached "
                             : "() -> awaitify::detached ";
      Out.push_back(R.replace(Brace, R.offset(Brace), Text));
    }
    return;
  }
  for (const FunctionDecl *D : Plan.Function->redecls()) {
    SourceRange RT = D->getReturnTypeSourceRange();
    Out.push_back(
        R.replace(RT.getBegin(), R.tokenEnd(RT.getEnd()), "awaitify::detached"));
    for (const ParmVarDecl *Canon : Plan.ByValueParams) {
      const ParmVarDecl *P = D->getParamDecl(Canon->getFunctionScopeIndex());
      std::string Arg = R.writtenType(P).Arg;
      unsigned End = P->getIdentifier() ? R.offset(P->getLocation())
                                        : R.tokenEnd(P->getEndLoc());
      Out.push_back(
          R.replace(P->getBeginLoc(), End, P->getIdentifier() ? Arg + " " : Arg));
    }
  }
}

std::vector<std::string> GenericDialect::headers(const PlanRewriter &,
                                                 bool) const {
  // What the code uses of the runtime, not all of it; the same in every
  // file, so that the edits of chains that meet in a header are the same.
  return {"#include <awaitify/detached.hpp>",
          "#include <awaitify/from_callback.hpp>"};
}

} // namespace awaitify::detail
