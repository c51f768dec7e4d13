//===- AsioDialect.h - Awaiting Asio and Beast operations -------*- C++ -*-===//
//
// Internal. The dialect of Boost.Asio, standalone Asio and Beast (rules with
// `await: asio`). The function keeps its signature and spawns the coroutine
// on the executor its handlers ran on:
//
//   void session::do_read() {
//     net::co_spawn(stream_.get_executor(),
//                   [this, self = shared_from_this()]() -> net::awaitable<void> {
//       beast::error_code ec;
//       std::size_t n = co_await http::async_read(
//           stream_, buffer_, req_, net::redirect_error(net::use_awaitable, ec));
//       ...
//     }, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
//   }
//
// Handlers that take an error code first (std::error_code or
// boost::system::error_code) and at most one value; handlers bound with
// `beast::bind_front_handler`; executor hops `dispatch(ex, bound)`.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_DIALECT_ASIO_ASIODIALECT_H
#define AWAITIFY_DIALECT_ASIO_ASIODIALECT_H

#include "dialect/Dialect.h"

namespace awaitify::detail {

/// What the asio dialect decided for one function (FunctionPlan::Data).
struct AsioPlan : FunctionPlan::DialectData {
  std::string Ns;        ///< "boost::asio", "asio", or the file's alias
  bool Boost = false;    ///< Boost.Asio (else standalone Asio)
  /// The Asio version (BOOST_ASIO_VERSION or ASIO_VERSION: 101800 is
  /// 1.18.0), 0 when unknown.
  unsigned Version = 0;
  /// Awaits complete into a tuple (`auto [ec, n] = co_await op(...,
  /// as_tuple(use_awaitable))`): Asio 1.24 (Boost 1.80) and later; before,
  /// into an error code (`redirect_error(use_awaitable, ec)`).
  bool AsTuple = false;
  std::string Executor;  ///< the executor expression, as written
  bool CaptureSelf = false; ///< the class shares ownership of itself
  /// The statement of the function's body the spawned coroutine starts
  /// with; those before it stay in the function (null: the whole body).
  const clang::Stmt *SpawnFrom = nullptr;
  /// The completion co_spawn gets: the name of the file's function object
  /// that rethrows what escapes the coroutine (empty: a lambda in place,
  /// for a function defined in a header).
  std::string Rethrow;
  /// The file's first declaration, before which the file is to define it
  /// (null: it is defined already, or not used).
  const clang::Decl *RethrowBefore = nullptr;
};

/// The I/O object of an operation: the object of a member call, or the
/// first argument of a free function. Null when there is none.
const clang::Expr *ioObject(const clang::CallExpr *Call);

/// How many values an Asio operation completes with (its completion
/// signature's parameters, the error code included), when its type says.
std::optional<unsigned> completionArity(const clang::CallExpr *Call);

class AsioDialect : public Dialect {
public:
  llvm::StringRef name() const override { return "asio"; }
  llvm::StringRef library() const override { return "Asio"; }
  bool completesLater() const override { return true; }
  bool isFrontBinder(const clang::FunctionDecl *Callee) const override;
  const clang::FunctionDecl *
  executorHop(const clang::CallExpr *Call,
              const clang::Expr *&Executor) const override;
  bool plan(FunctionPlan &Plan, const PlanContext &C,
            std::string &Why) const override;
  bool nameParam(Namer &N, Step &S, unsigned I) const override;
  void nameAwait(Namer &N, Step &S) const override;
  std::string declareResults(const PlanRewriter &R,
                             const Step &S) const override;
  std::string
  assignResults(const PlanRewriter &R, const Step &S,
                llvm::ArrayRef<clang::ParmVarDecl *> Params) const override;
  const clang::Stmt *startsFrom(const FunctionPlan &Plan) const override;
  std::string coroutineType(const PlanRewriter &R) const override;
  std::string
  startCoroutine(const PlanRewriter &R,
                 llvm::ArrayRef<CoroutineArg> Args) const override;
  bool spawnsBeside() const override { return true; }
  std::optional<std::string> besideProblem(const Step &S) const override;
  std::string spawnBeside(const PlanRewriter &R, const BesideOp &B,
                          llvm::ArrayRef<CoroutineArg> Args) const override;
  std::vector<std::string> headers(const PlanRewriter &R,
                                   bool Own) const override;
  void includeEdits(
      const PlanRewriter &R,
      std::vector<clang::tooling::Replacement> &Out) const override;

private:
  /// `co_await op(..., redirect_error(use_awaitable, ec))`, or with
  /// `as_tuple(use_awaitable)`.
  std::string await(const PlanRewriter &R, const Step &S) const;
  /// The names a tuple await binds: the error code's and the value's.
  std::vector<std::string> tupleNames(const PlanRewriter &R,
                                      const Step &S) const;
  /// Whether each await's handler takes an error code and at most one value.
  bool checkHandlers(const FunctionPlan &Plan, std::string &Why) const;
  /// Decides the executor the coroutine is spawned on.
  bool planExecutor(FunctionPlan &Plan, AsioPlan &A, const PlanContext &C,
                    std::string &Why) const;
  /// Rates when the first operation starts, from the library's version.
  void rateStart(FunctionPlan &Plan, const AsioPlan &A,
                 const PlanContext &C) const;
};

} // namespace awaitify::detail

#endif
