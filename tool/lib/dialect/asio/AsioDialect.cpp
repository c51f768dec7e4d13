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
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include <set>

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

static const AsioPlan &data(const FunctionPlan &Plan) {
  return static_cast<const AsioPlan &>(*Plan.Data);
}

bool AsioDialect::nameParam(Namer &N, Step &S, unsigned I) const {
  if (I != 0)
    return false;
  const ParmVarDecl *P = S.params()[0];
  if (data(N.plan()).AsTuple) {
    // Each await binds its own error code; an unnamed one gets a name.
    if (P->getIdentifier())
      return false;
    S.AwaitName = N.isTaken("ec") ? N.fresh("ec") : "ec";
    S.DeclaresAwaitName = true;
    return true;
  }
  // The error code: an earlier step's of the same type, still in scope, is
  // reported into again; else this step declares one.
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

/// The error code an await reports into: the handler's (renamed) parameter,
/// or the variable the step declares or reuses for it.
static std::string errorName(const PlanRewriter &R, const Step &S) {
  return S.AwaitName.empty() ? R.finalName(S.params()[0]) : S.AwaitName;
}

std::string AsioDialect::await(const PlanRewriter &R, const Step &S) const {
  const std::string &Ns = data(R.plan()).Ns;
  if (data(R.plan()).AsTuple)
    return "co_await " +
           R.callWithCallback(S, Ns + "::as_tuple(" + Ns + "::use_awaitable)");
  return "co_await " +
         R.callWithCallback(S, Ns + "::redirect_error(" + Ns +
                                   "::use_awaitable, " + errorName(R, S) + ")");
}

std::vector<std::string> AsioDialect::tupleNames(const PlanRewriter &R,
                                                 const Step &S) const {
  std::vector<std::string> Names{errorName(R, S)};
  auto Params = S.params();
  if (Params.size() == 2)
    Names.push_back(Params[1]->getIdentifier() ? R.finalName(Params[1]) : "");
  return Names;
}

std::string AsioDialect::declareResults(const PlanRewriter &R,
                                        const Step &S) const {
  auto Params = S.params();
  if (data(R.plan()).AsTuple) {
    std::vector<std::string> Names = tupleNames(R, S);
    bool Unused = Names.size() == 2 && Names[1].empty();
    if (Unused)
      Names[1] = "unused";
    return std::string(Unused ? "[[maybe_unused]] " : "") + "auto [" +
           llvm::join(Names, ", ") + "] = " + await(R, S) + ";";
  }
  std::string Out;
  if (S.DeclaresAwaitName)
    Out += R.writtenType(Params[0]).Arg + " " + errorName(R, S) + ";\n";
  if (Params.size() == 2 && Params[1]->getIdentifier())
    return Out + R.localType(Params[1]) + " " +
           R.finalName(Params[1]) + " = " + await(R, S) + ";";
  return Out + await(R, S) + ";";
}

std::string
AsioDialect::assignResults(const PlanRewriter &R, const Step &S,
                           llvm::ArrayRef<ParmVarDecl *> Params) const {
  if (data(R.plan()).AsTuple) {
    std::vector<std::string> Names;
    for (const ParmVarDecl *P : Params)
      Names.push_back(P->getIdentifier() ? R.finalName(P) : "std::ignore");
    return "std::tie(" + llvm::join(Names, ", ") + ") = " + await(R, S) + ";";
  }
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
  for (const ParmVarDecl *P : R.paramsRead(From))
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

namespace {
/// What the function's file includes of the library, directly.
struct DirectIncludes {
  std::set<std::string> Names; ///< "boost/asio/write.hpp", "utility", ...
  /// The offset just past the line of the last #include of the library,
  /// and that of the line of the first.
  std::optional<unsigned> AfterLibrary;
  std::optional<unsigned> BeforeLibrary;
};
} // namespace

/// The files \p File includes itself (each first inclusion: a header that
/// was already included is not entered again), as the path below the
/// folder it was found in when it is in \p Dir ("boost/asio/...").
static DirectIncludes directIncludes(const PlanRewriter &R,
                                     llvm::StringRef Dir) {
  const SourceManager &SM = R.sourceManager();
  DirectIncludes Out;
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    FileID ID = SM.translateFile(It->first);
    SourceLocation At = ID.isValid() ? SM.getIncludeLoc(ID) : SourceLocation();
    if (At.isInvalid() || SM.getFileID(SM.getFileLoc(At)) != R.file())
      continue;
    llvm::StringRef Name = It->first.getName();
    std::string Below;
    for (llvm::StringRef Part : {Dir.str() + "/", Dir.str() + ".hpp"})
      if (size_t P = Name.rfind(("/" + Part).str()); P != llvm::StringRef::npos)
        Below = Name.drop_front(P + 1).str();
    if (Below.empty()) {
      Out.Names.insert(llvm::sys::path::filename(Name).str());
      continue;
    }
    Out.Names.insert(Below);
    size_t EOL = R.code().find('\n', R.offset(At));
    unsigned End = EOL == llvm::StringRef::npos ? R.code().size() : EOL + 1;
    Out.AfterLibrary = std::max(Out.AfterLibrary.value_or(0), End);
    size_t BOL = R.code().rfind('\n', R.offset(At));
    unsigned Begin = BOL == llvm::StringRef::npos ? 0 : BOL + 1;
    Out.BeforeLibrary = std::min(Out.BeforeLibrary.value_or(Begin), Begin);
  }
  return Out;
}

std::vector<std::string> AsioDialect::headers(const PlanRewriter &R,
                                              bool Own) const {
  // Only the function's own file changes: the signature stays.
  if (!Own)
    return {};
  // std::tie, at a back edge of a chain awaiting tuples.
  bool Ties = false;
  forEachStep(R.plan().Roots, [&](const Step &S) {
    Ties |= S.BackEdge && S.K == Step::Await;
  });
  if (data(R.plan()).AsTuple && Ties)
    return {"#include <exception>", "#include <tuple>"};
  return {"#include <exception>"};
}

void AsioDialect::includeEdits(const PlanRewriter &R,
                               std::vector<tooling::Replacement> &Out) const {
  // Asio's own headers go right after the file's last Asio include: what
  // those needed ahead of them is there for the new ones too. Asio before
  // 1.22 (Boost 1.78) uses std::exchange in awaitable.hpp without including
  // <utility>, and the file's own Asio includes may include awaitable.hpp
  // once coroutines are on (<boost/asio.hpp> does): <utility> goes before
  // the first of them.
  const AsioPlan &A = data(R.plan());
  std::string Dir = A.Boost ? "boost/asio" : "asio";
  DirectIncludes Has = directIncludes(R, Dir);
  std::string Lines;
  if (A.Version < 102200 && !Has.Names.count("utility")) {
    if (Has.BeforeLibrary)
      Out.emplace_back(R.path(), *Has.BeforeLibrary, 0,
                       "#include <utility>\n");
    else
      Lines += "#include <utility>\n";
  }
  // The library's umbrella header brings every part.
  const char *Completion = A.AsTuple ? "as_tuple" : "redirect_error";
  if (!Has.Names.count(Dir + ".hpp"))
    for (const char *H : {"co_spawn", Completion, "use_awaitable"}) {
      std::string Header = Dir + "/" + H + ".hpp";
      if (!Has.Names.count(Header))
        Lines += "#include <" + Header + ">\n";
    }
  if (Lines.empty())
    return;
  if (Has.AfterLibrary)
    Out.emplace_back(R.path(), *Has.AfterLibrary, 0, Lines);
  else // included through another header: where clang-format puts it
    for (llvm::StringRef Line : llvm::split(llvm::StringRef(Lines).rtrim(), '\n'))
      Out.emplace_back(R.path(), UINT_MAX, 0, Line.str());
}

} // namespace awaitify::detail
