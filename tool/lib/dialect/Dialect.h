//===- Dialect.h - How a library's operations are awaited -------*- C++ -*-===//
//
// Internal. The analysis finds chains of completion calls whatever library
// they belong to; a dialect knows how one library's operations are awaited.
// Each rule names its dialect (`await: asio`; `generic` by default), and
// every await of a chain must be of the same dialect. A dialect says
//
//  * what it recognises in callback code beyond lambdas: the functions that
//    bind a member to its object (`beast::bind_front_handler`), executor
//    hops (`asio::dispatch(ex, bound)`);
//  * whether a chain fits it, how the coroutine starts and what the function
//    becomes (plan): `awaitify::detached f()` awaiting `from_callback`
//    (generic), or `void f()` that `co_spawn`s an `asio::awaitable` (asio);
//  * what an await introduces besides the continuation's parameters (a
//    resuming callback, the error code an operation reports into), and so
//    its naming;
//  * how each await, and the function around the coroutine, is spelled,
//    and which headers the rewritten file needs.
//
// A dialect keeps no state: what it decides for a function goes into the
// FunctionPlan (Plan.Data), which only it reads. A new library is a new
// dialect in its own folder, registered in Dialect.cpp, plus a rule file.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_DIALECT_DIALECT_H
#define AWAITIFY_DIALECT_DIALECT_H

#include "plan/Plan.h"
#include "clang/Tooling/Core/Replacement.h"
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
} // namespace clang

namespace awaitify::detail {

class Namer;
class PlanRewriter;

/// What a function passes to the coroutine it starts: a parameter, moved
/// when the function owns it and copying would cost.
struct CoroutineArg {
  std::string Name;
  bool Moved = false;
  /// A reference parameter, passed as a pointer.
  bool Address = false;
  std::string spelling() const {
    return Moved ? "std::move(" + Name + ")" : Address ? "&" + Name : Name;
  }
};

/// What a dialect may use while planning a function.
struct PlanContext {
  clang::ASTContext &Ctx;
  /// The translation unit's preprocessor (libraries' version macros), or
  /// null: then the oldest versions are assumed.
  const clang::Preprocessor *PP;
  /// Notes for the whole translation unit (AnalysisResult::Notes).
  std::vector<std::string> &Notes;
};

class Dialect {
public:
  virtual ~Dialect();

  /// The name rule files use (`await: asio`).
  virtual llvm::StringRef name() const = 0;
  /// The library, as remarks name it ("Asio"); empty for the generic one.
  virtual llvm::StringRef library() const { return ""; }
  /// Whether the rewritten code includes awaitify's runtime.
  virtual bool usesRuntime() const { return false; }
  /// Whether every operation of the dialect calls back only after it has
  /// returned (Asio's never call a handler inside the initiating function).
  virtual bool completesLater() const { return false; }

  // --- Recognition ---------------------------------------------------------
  /// Whether \p Callee binds a member pointer to its object and leading
  /// values, bind_front style: `f(&C::h, self, v...)`.
  virtual bool isFrontBinder(const clang::FunctionDecl * /*Callee*/) const {
    return false;
  }
  /// For an executor hop, `hop(ex, bound)`: the bound member, and `ex` in
  /// \p Executor; null when \p Call is not one.
  virtual const clang::FunctionDecl *
  executorHop(const clang::CallExpr * /*Call*/,
              const clang::Expr *& /*Executor*/) const {
    return nullptr;
  }

  // --- Planning --------------------------------------------------------------
  /// Whether the chain fits the dialect, and if so decides how the
  /// coroutine starts (Plan.Data, keep-alives). Returns false with \p Why.
  virtual bool plan(FunctionPlan &Plan, const PlanContext &C,
                    std::string &Why) const = 0;
  /// Names what await step \p S introduces for its parameter \p I; returns
  /// true when the parameter is the dialect's to declare (or reuse), not an
  /// ordinary variable of the flattened code.
  virtual bool nameParam(Namer & /*N*/, Step & /*S*/, unsigned /*I*/) const {
    return false;
  }
  /// Names what await step \p S introduces besides its parameters.
  virtual void nameAwait(Namer & /*N*/, Step & /*S*/) const {}

  // --- Spelling ---------------------------------------------------------------
  /// The declarations of what await step \p S completes with, and the await.
  virtual std::string declareResults(const PlanRewriter &R,
                                     const Step &S) const = 0;
  /// At a back edge: \p Params (the loop's variables) take what await step
  /// \p S completes with.
  virtual std::string
  assignResults(const PlanRewriter &R, const Step &S,
                llvm::ArrayRef<clang::ParmVarDecl *> Params) const = 0;
  /// The statement of the body the coroutine starts with; the statements
  /// before it stay in the function (null: the whole body).
  virtual const clang::Stmt *startsFrom(const FunctionPlan & /*Plan*/) const {
    return nullptr;
  }
  /// For a plan that moves the chain into a coroutine of its own
  /// (Plan.Coroutine): the coroutine's return type, and the statement by
  /// which the function starts it with \p Args.
  virtual std::string coroutineType(const PlanRewriter & /*R*/) const {
    return "";
  }
  virtual std::string startCoroutine(const PlanRewriter &R,
                                     llvm::ArrayRef<CoroutineArg> Args) const;
  /// Whether an operation the function starts before its chain may run
  /// beside it, in a coroutine of its own that the function spawns
  /// (Plan.Beside), and why await step \p S cannot.
  virtual bool spawnsBeside() const { return false; }
  virtual std::optional<std::string>
  besideProblem(const Step & /*S*/) const {
    return std::nullopt;
  }
  /// The statement that spawns \p B's coroutine with \p Args, where the
  /// call was.
  virtual std::string spawnBeside(const PlanRewriter & /*R*/,
                                  const BesideOp & /*B*/,
                                  llvm::ArrayRef<CoroutineArg> /*Args*/) const {
    return "";
  }
  /// Edits to the function's declarations (its return type).
  virtual void
  signatureEdits(const PlanRewriter & /*R*/,
                 std::vector<clang::tooling::Replacement> & /*Out*/) const {}
  /// Edits that add #include lines at a place of the dialect's choosing
  /// (where the order of includes matters); the function's file only.
  virtual void
  includeEdits(const PlanRewriter & /*R*/,
               std::vector<clang::tooling::Replacement> & /*Out*/) const {}
  /// The #include lines \p File needs once it is edited (\p File is the
  /// function's own file when \p Own), inserted where clang-format puts
  /// them.
  virtual std::vector<std::string> headers(const PlanRewriter &R,
                                           bool Own) const = 0;
};

/// `Name(args...)`.
std::string coroutineCall(llvm::StringRef Name,
                          llvm::ArrayRef<CoroutineArg> Args);

/// The dialect a rule names, or null when there is none of that name.
const Dialect *findDialect(llvm::StringRef Name);
/// Every dialect, the generic one first.
llvm::ArrayRef<const Dialect *> dialects();
/// The names of all dialects, for messages: "'generic' or 'asio'".
std::string dialectNames();

} // namespace awaitify::detail

#endif
