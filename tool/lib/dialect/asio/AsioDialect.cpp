//===- AsioDialect.cpp - Recognising and spelling Asio code ---------------===//
//
// What Asio code looks like (binders, executor hops, error codes) and how
// the rewrite spells it (awaits into an error code, the spawned coroutine,
// the headers). Planning is in AsioPlan.cpp.
//
//===----------------------------------------------------------------------===//
#include "dialect/asio/AsioDialect.h"
#include "analysis/Handlers.h"
#include "plan/Naming.h"
#include "rewrite/Rewriter.h"
#include "support/Ast.h"
#include "support/Walk.h"

using namespace clang;

namespace awaitify::detail {

bool AsioDialect::isFrontBinder(const FunctionDecl *Callee) const {
  return isNamed(Callee, "boost::beast::bind_front_handler");
}

const FunctionDecl *AsioDialect::executorHop(const CallExpr *Call,
                                             const Expr *&Executor) const {
  // `dispatch(ex, bound)`; Boost adds a defaulted SFINAE parameter. Not
  // `post`: it always runs the handler on a later turn, after work already
  // queued, which a hop inside the coroutine would have to keep.
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || writtenArgs(Call) != 2 ||
      !(isNamed(Callee, "boost::asio::dispatch") ||
        isNamed(Callee, "asio::dispatch")))
    return nullptr;
  const FunctionDecl *M = boundHandler(Call->getArg(1));
  if (!M || M->getNumParams() != 0)
    return nullptr;
  Executor = Call->getArg(0);
  return M;
}

bool AsioDialect::nameParam(Namer &N, Step &S, unsigned I) const {
  // The error code: an earlier step's of the same type, still in scope, is
  // reported into again; else this step declares one.
  if (I != 0)
    return false;
  const ParmVarDecl *P = S.params()[0];
  llvm::StringRef Name = P->getIdentifier() ? P->getName() : "ec";
  if (const ValueDecl *E = N.visibleReusable(Name, P->getType())) {
    if (P->getIdentifier())
      N.plan().Aliases[P] = E;
    S.AwaitName = N.finalName(E);
    return true;
  }
  S.DeclaresAwaitName = true;
  if (!P->getIdentifier()) {
    S.AwaitName = N.isTaken("ec") ? N.fresh("ec") : "ec";
    return true;
  }
  N.markReusable(P);
  return false; // declared, and renamed, as the variable it is
}

static const AsioPlan &data(const FunctionPlan &Plan) {
  return static_cast<const AsioPlan &>(*Plan.Data);
}

/// The error code an await reports into: the handler's (renamed) parameter,
/// or the variable the step declares or reuses for it.
static std::string errorName(const PlanRewriter &R, const Step &S) {
  return S.AwaitName.empty() ? R.finalName(S.params()[0]) : S.AwaitName;
}

std::string AsioDialect::await(const PlanRewriter &R, const Step &S) const {
  const std::string &Ns = data(R.plan()).Ns;
  std::string Error = errorName(R, S);
  return "co_await " +
         R.callWithCallback(S, Ns + "::redirect_error(" + Ns +
                                   "::use_awaitable, " + Error + ")");
}

std::string AsioDialect::declareResults(const PlanRewriter &R,
                                        const Step &S) const {
  auto Params = S.params();
  std::string Out;
  if (S.DeclaresAwaitName)
    Out += R.writtenType(Params[0]).Arg + " " + errorName(R, S) + ";\n";
  if (Params.size() == 2 && Params[1]->getIdentifier())
    return Out + R.writtenType(Params[1]).Decl + " " +
           R.finalName(Params[1]) + " = " + await(R, S) + ";";
  return Out + await(R, S) + ";";
}

std::string
AsioDialect::assignResults(const PlanRewriter &R, const Step &S,
                           llvm::ArrayRef<ParmVarDecl *> Params) const {
  if (Params.size() == 2)
    return R.finalName(Params[1]) + " = " + await(R, S) + ";";
  return await(R, S) + ";";
}

const Stmt *AsioDialect::startsFrom(const FunctionPlan &Plan) const {
  return data(Plan).SpawnFrom;
}

std::string AsioDialect::wrapBody(const PlanRewriter &R, std::string Inner,
                                  unsigned From) const {
  const FunctionPlan &Plan = R.plan();
  const AsioPlan &A = data(Plan);
  std::string Captures;
  auto Add = [&](const std::string &C) {
    Captures += (Captures.empty() ? "" : ", ") + C;
  };
  if (isa<CXXMethodDecl>(Plan.Function))
    Add("this");
  if (A.CaptureSelf)
    Add(Plan.SelfName + " = shared_from_this()");
  // The parameters the coroutine reads, by copy (an unused capture would
  // be warned about).
  llvm::SmallPtrSet<const ValueDecl *, 4> Read;
  walk(R.body(), [&](const Stmt &S) {
    if (const auto *E = dyn_cast<DeclRefExpr>(&S))
      if (isa<ParmVarDecl>(E->getDecl()) && R.offset(E->getLocation()) >= From)
        Read.insert(E->getDecl());
    return true;
  });
  for (const ParmVarDecl *P : Plan.Function->parameters())
    if (P->getIdentifier() && Read.count(P))
      Add(R.finalName(P));
  bool Mutable = Plan.LoopHeads.count(Plan.Function) &&
                 Plan.Function->getNumParams() != 0;
  bool Gap = llvm::StringRef(Inner).starts_with("\n");
  std::string Body =
      A.SpawnFrom ? "\n" + llvm::StringRef(Inner).ltrim().str() : Inner;
  // An exception escaping the chain propagated out of the handler that threw
  // it, out of the executor's run(); rethrowing it from the completion keeps
  // that (asio::detached would drop it).
  std::string Spawn =
      A.Ns + "::co_spawn(" + A.Executor + ", [" + Captures + "]()" +
      (Mutable ? " mutable" : "") + " -> " + A.Ns + "::awaitable<void> {" +
      Body + "\n}, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });";
  if (A.SpawnFrom)
    return (Gap ? "\n" : "") + Spawn;
  return "\n" + Spawn;
}

/// Whether \p File includes the header at \p Path below an include
/// folder ("boost/asio.hpp").
static bool includes(const SourceManager &SM, FileID File,
                     llvm::StringRef Path) {
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    llvm::StringRef Name = It->first.getName();
    if (Name != Path && !Name.ends_with(("/" + Path).str()))
      continue;
    FileID ID = SM.translateFile(It->first);
    if (ID.isValid() && SM.getFileID(SM.getIncludeLoc(ID)) == File)
      return true;
  }
  return false;
}

std::vector<std::string> AsioDialect::headers(const PlanRewriter &R,
                                              bool Own) const {
  // Only the function's own file changes: the signature stays.
  if (!Own)
    return {};
  std::vector<std::string> Out{"#include <exception>"};
  std::string Dir = data(R.plan()).Boost ? "boost/asio" : "asio";
  // The library's umbrella header brings every part.
  if (includes(R.sourceManager(), R.file(), Dir + ".hpp"))
    return Out;
  for (const char *H : {"co_spawn", "redirect_error", "use_awaitable"})
    Out.push_back("#include <" + Dir + "/" + H + ".hpp>");
  return Out;
}

} // namespace awaitify::detail
