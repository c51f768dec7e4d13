//===- Plan.h - What the analysis decided, for the rewriter -----*- C++ -*-===//
//
// Internal: the AST-bound result of analysing one function. The analysis
// (analysis/) fills it and decides everything that needs judgement -- which
// calls are steps, which dialect awaits them, what may be renamed, which
// parameters change type, how sure it is; the rewriter (rewrite/) and the
// dialect (dialect/) only spell it out.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_PLAN_PLAN_H
#define AWAITIFY_PLAN_PLAN_H

#include "awaitify/Chain.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace awaitify::detail {

class Dialect;

/// One statement in tail position that the coroutine takes over:
///  * Await: a completion call; its continuation (a lambda, or a handler
///    function bound to the object) is flattened after the co_await;
///  * Call: a tail call of a handler function (`do_write(n);`, or an
///    executor hop `dispatch(ex, bind_front_handler(&C::do_read, self))`);
///    the handler's body is inlined.
/// When the handler is already on the way from the function to this step,
/// the step is a back edge: the chain loops back to it.
struct Step {
  enum Kind { Await, HandlerCall };
  Kind K = Await;
  const clang::CallExpr *Call = nullptr;
  /// The statement the call is: Call itself, maybe under ExprWithCleanups.
  const clang::Stmt *Statement = nullptr;
  const clang::LambdaExpr *Continuation = nullptr;
  /// The handler function continued in (bound handler or tail call).
  const clang::FunctionDecl *Handler = nullptr;
  /// The handler is on the path to this step: continue its loop.
  bool BackEdge = false;
  /// An executor hop (`dispatch(ex, bound)`), recognised by this dialect:
  /// the call's arguments are not the handler's. HopExecutor is `ex`.
  const Dialect *Hop = nullptr;
  const clang::Expr *HopExecutor = nullptr;
  /// Values bound ahead of the completion's (`bind_front_handler(&C::h,
  /// self, v)`): the handler's first parameters.
  llvm::SmallVector<const clang::Expr *, 2> BoundArgs;
  /// The bound values go to the handler's last parameters instead
  /// (`std::bind(&C::h, this, _1, v)`).
  bool BoundLast = false;
  /// The callback argument as written (the lambda, maybe in a conversion).
  const clang::Expr *CallbackArg = nullptr;
  const ApiRule *Rule = nullptr;
  std::string Callee;
  unsigned Depth = 1;
  /// The if whose unbraced arm the statement is: the rewrite adds braces.
  const clang::IfStmt *ArmOf = nullptr;
  /// What ends the frame right after the statement (`return;`, or a
  /// `break;` out of a switch after which nothing runs): the step's code
  /// takes it along.
  const clang::Stmt *Ender = nullptr;
  /// The first statement of the switch case that the statement is one of,
  /// not in a block of its own: the case gets braces for the code's
  /// declarations.
  const clang::Stmt *CaseBegin = nullptr;
  /// A name the dialect's await introduces besides the continuation's
  /// parameters -- the resuming callback of a generic await ("resume"), the
  /// error code an Asio operation reports into -- and whether this step
  /// declares it (else an earlier step's variable is reused).
  std::string AwaitName;
  bool DeclaresAwaitName = false;
  /// The name an await binds a value to that the code does not use (a
  /// value bind dropped, an unnamed or ignored parameter): `unused`.
  std::string UnusedName;
  /// A tail call of a handler that other tail calls of the same block make
  /// too, and nothing else (`if (quit) return do_write(false); ...;
  /// do_write(true);`): each assigns the handler's parameters, and the
  /// block goes on into the handler's code, written once after the block's
  /// last statement. The step of the last call inlines it (Join is set).
  bool Arrives = false;
  struct JoinPoint {
    /// The block's statement that the handler's code follows.
    const clang::Stmt *Last = nullptr;
    /// The first of the block's statements with a call: the parameters
    /// are declared before it.
    const clang::Stmt *First = nullptr;
    /// Ifs of the block whose then-arm ends with a call (`return h(x);`):
    /// what follows them in the block becomes their else-arm.
    llvm::SmallVector<const clang::IfStmt *, 2> EarlyIfs;
    /// For each early if: its then-arm is the call alone (and `return;`).
    llvm::SmallVector<bool, 2> CallOnly;
    /// For each early if: the rest of the block is one if (the next early
    /// one, or a last if/else), its else-arm without braces (`} else if`).
    llvm::SmallVector<bool, 2> ElseIf;
    /// The statements of the calls, in order.
    llvm::SmallVector<const clang::Stmt *, 3> Calls;
  };
  std::shared_ptr<const JoinPoint> Join;
  /// Steps in tail position of this step's continuation.
  std::vector<Step> Next;

  /// The body the step continues in: the lambda's, or the handler's.
  const clang::CompoundStmt *body() const;
  /// The parameters that receive what the step completes with (Await), or
  /// the handler's parameters (Call).
  llvm::ArrayRef<clang::ParmVarDecl *> params() const;
  /// The handler's parameters that receive BoundArgs, in order.
  llvm::ArrayRef<clang::ParmVarDecl *> boundParams() const;
};

/// An operation the function starts before its chain, not in tail
/// position, whose callback starts nothing more (a watchdog's wait): it
/// runs beside the chain, in a coroutine of its own that the function
/// spawns where the call was.
struct BesideOp {
  /// An await step with its continuation; no steps follow it.
  Step S;
  /// The coroutine's name.
  std::string Coroutine;
  /// The variables the callback captured by copy, and its init-captures:
  /// the coroutine's parameters, of the same names. A copy was const (the callback is not
  /// `mutable`), and its parameter stays so unless the code only reads its
  /// value.
  struct Param {
    const clang::VarDecl *V;
    bool Const;
    /// An init-capture's initializer, evaluated where the call was (the
    /// argument); else the variable copied is passed.
    const clang::Expr *Init = nullptr;
  };
  llvm::SmallVector<Param, 2> Params;
};

struct FunctionPlan {
  /// The function that becomes a coroutine: a function or a lambda's call
  /// operator (then Lambda is set).
  const clang::FunctionDecl *Function = nullptr;
  const clang::LambdaExpr *Lambda = nullptr;
  std::vector<Step> Roots;
  /// Operations that run beside the chain (the function's own, before it).
  std::vector<BesideOp> Beside;
  Confidence Conf;
  std::vector<std::string> Assumptions;
  /// When set, the function keeps its signature (other translation units
  /// call it, take its address, override it) and its body starts a
  /// coroutine of this name that the chain moves into: a private member
  /// for a method, a function of internal linkage otherwise.
  std::string Coroutine;
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
  /// Handlers whose bodies are inlined (not back edges), and the subset
  /// whose definitions go away because nothing else uses them.
  llvm::SmallVector<const clang::FunctionDecl *, 4> Inlined;
  llvm::SmallVector<const clang::FunctionDecl *, 4> Removed;
  /// Functions the chain loops back to (the function itself included).
  llvm::SmallPtrSet<const clang::FunctionDecl *, 4> LoopHeads;
  /// Statements `auto self(shared_from_this());` that the coroutine's own
  /// `self` replaces.
  llvm::SmallPtrSet<const clang::Stmt *, 4> DroppedStatements;
  /// Init-captures `[self = shared_from_this()]` that it replaces too.
  llvm::SmallPtrSet<const clang::VarDecl *, 4> DroppedInitCaptures;

  /// Parameters the code only passes to `boost::ignore_unused`: those
  /// statements go, and the parameter is as if unnamed.
  llvm::SmallPtrSet<const clang::ParmVarDecl *, 4> Ignored;
  bool named(const clang::ParmVarDecl *P) const {
    return P->getIdentifier() && !Ignored.count(P);
  }

  /// Tail ifs written as early exits (Guards.h): the arm that ends the
  /// chain guards, the other goes on after the if. True when the then-arm
  /// goes on (the condition is negated).
  llvm::DenseMap<const clang::IfStmt *, bool> Guards;
  /// Tail ifs whose then-arm jumps at its end: their else-arm follows them
  /// in the block, without `else` (Guards.h).
  llvm::SmallPtrSet<const clang::IfStmt *, 4> ElseDropped;

  /// A handler of the chain owned the object (a `self` keeper, a bound or
  /// captured `shared_from_this()`): the coroutine owns it from its start
  /// to its end, through `auto self = shared_from_this();` at the top.
  bool KeepSelf = false;
  /// The name of that owner, and of the one a dialect's spawned coroutine
  /// captures.
  std::string SelfName = "self";

  /// The dialect that awaits the chain's operations, and what it decided
  /// for this function (how the coroutine starts, what it is spelled with);
  /// only that dialect reads it.
  const Dialect *D = nullptr;
  struct DialectData {
    virtual ~DialectData() = default;
  };
  std::shared_ptr<DialectData> Data;

  unsigned depth() const;
  void lower(Confidence::Level L, std::string Why) {
    Conf.lowerTo(L);
    if (!llvm::is_contained(Assumptions, Why))
      Assumptions.push_back(std::move(Why));
  }
};

/// Calls \p Fn on every step of a plan, outer steps first.
void forEachStep(const std::vector<Step> &Steps,
                 const std::function<void(const Step &)> &Fn);

} // namespace awaitify::detail

#endif
