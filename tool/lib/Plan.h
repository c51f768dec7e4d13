//===- Plan.h - What the finder decided, for the rewriter -------*- C++ -*-===//
//
// Internal: the AST-bound result of analysing one function. The finder
// (ChainFinder.cpp) fills it and decides everything that needs judgement --
// which calls are steps, what may be renamed, which parameters change type,
// how sure it is; the rewriter (ChainRewriter.cpp) only spells it out.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_LIB_PLAN_H
#define AWAITIFY_LIB_PLAN_H

#include "awaitify/Chain.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <string>
#include <vector>

namespace awaitify::detail {

/// One completion call in tail position whose lambda continuation is
/// flattened into the enclosing frame.
struct Step {
  const clang::CallExpr *Call = nullptr;
  /// The statement the call is: Call itself, maybe under ExprWithCleanups.
  const clang::Stmt *Statement = nullptr;
  const clang::LambdaExpr *Continuation = nullptr;
  /// The callback argument as written (the lambda, maybe in a conversion).
  const clang::Expr *CallbackArg = nullptr;
  const ApiRule *Rule = nullptr;
  std::string Callee;
  unsigned Depth = 1;
  /// The statement is an unbraced if-arm: the rewrite adds braces.
  bool NeedsBraces = false;
  /// The name the awaiting lambda gives the completion ("resume").
  std::string ResumeName;
  /// Steps in tail position of this step's continuation.
  std::vector<Step> Next;
};

struct FunctionPlan {
  /// The function that becomes a coroutine: a function or a lambda's call
  /// operator (then Lambda is set).
  const clang::FunctionDecl *Function = nullptr;
  const clang::LambdaExpr *Lambda = nullptr;
  std::vector<Step> Roots;
  Confidence Conf;
  std::vector<std::string> Assumptions;
  /// `const T&` parameters that the continuations copied: taken by value.
  llvm::SmallVector<const clang::ParmVarDecl *, 2> ByValueParams;
  /// Declarations that flattening moves into an enclosing scope and that
  /// must be renamed there.
  llvm::DenseMap<const clang::ValueDecl *, std::string> Renames;
  /// Init-captures such as `[self = std::move(self)]` that only carry a
  /// variable of the same name along: flattened code uses that variable.
  llvm::DenseMap<const clang::VarDecl *, const clang::ValueDecl *> Aliases;
  /// Every continuation that is flattened.
  llvm::SmallPtrSet<const clang::LambdaExpr *, 4> Flattened;

  unsigned depth() const;
  void lower(Confidence::Level L, std::string Why) {
    Conf.lowerTo(L);
    Assumptions.push_back(std::move(Why));
  }
};

/// The qualified name rule files use: namespaces and classes, without
/// template arguments, inline or anonymous namespaces.
std::string qualifiedName(const clang::NamedDecl *D);

/// The lambda an argument is, looking through the conversions a call adds
/// (to std::function, a temporary, ...); null when it is not one.
const clang::LambdaExpr *lambdaArgument(const clang::Expr *E);

/// Spells the edits of a plan (unformatted).
std::vector<clang::tooling::Replacement>
rewritePlan(const FunctionPlan &Plan, clang::ASTContext &Ctx);

} // namespace awaitify::detail

#endif
