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
#include <functional>
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

/// The number of values of the (first) completion signature among the
/// arguments of `async_result<Token, void(Values...)...>` of \p Template.
static std::optional<unsigned>
signatureArity(const TemplateDecl *Template,
               llvm::ArrayRef<TemplateArgument> Args) {
  // async_result's initiate() is inherited from this base (Asio 1.26).
  std::string Name = Template ? qualifiedName(Template) : "";
  llvm::StringRef Bare = llvm::StringRef(Name).starts_with("boost::")
                             ? llvm::StringRef(Name).drop_front(7)
                             : llvm::StringRef(Name);
  if ((Bare != "asio::async_result" &&
       Bare != "asio::detail::completion_handler_async_result") ||
      Args.size() < 2)
    return std::nullopt;
  TemplateArgument Sig = Args[1];
  if (Sig.getKind() == TemplateArgument::Pack) { // Asio 1.20: variadic
    if (Sig.pack_size() == 0)
      return std::nullopt;
    Sig = *Sig.pack_begin();
  }
  if (Sig.getKind() != TemplateArgument::Type)
    return std::nullopt;
  if (const auto *F = Sig.getAsType()->getAs<FunctionProtoType>())
    return F->getNumParams();
  return std::nullopt;
}

/// The same for the specialization \p DC, when it is one.
static std::optional<unsigned> fromAsyncResult(const DeclContext *DC) {
  const auto *S = dyn_cast_or_null<ClassTemplateSpecializationDecl>(DC);
  if (!S)
    return std::nullopt;
  return signatureArity(S->getSpecializedTemplate(),
                        S->getTemplateArgs().asArray());
}

std::optional<unsigned> completionArity(const CallExpr *Call) {
  // An initiating function's return type names the completion signature:
  // `async_result<decay_t<Token>, void(error_code, size_t)>::return_type`
  // (Asio 1.18), or inside a constraint's decltype (Asio 1.26).
  std::optional<unsigned> Out;
  llvm::SmallPtrSet<const void *, 32> Seen;
  std::function<void(QualType, unsigned)> Visit = [&](QualType T,
                                                      unsigned Depth) {
    if (Out || T.isNull() || Depth > 16 ||
        !Seen.insert(T.getAsOpaquePtr()).second)
      return;
    const Type *TP = T.getTypePtr();
    auto Arguments = [&](llvm::ArrayRef<TemplateArgument> Args) {
      for (const TemplateArgument &A : Args)
        if (A.getKind() == TemplateArgument::Type)
          Visit(A.getAsType(), Depth + 1);
        else if (A.getKind() == TemplateArgument::Expression)
          walk(A.getAsExpr(), [&](const Stmt &S) {
            if (const auto *E = dyn_cast<Expr>(&S))
              Visit(E->getType(), Depth + 1);
            return !Out;
          });
    };
    if (const auto *TT = dyn_cast<TypedefType>(TP)) {
      const DeclContext *DC = TT->getDecl()->getDeclContext();
      if ((Out = fromAsyncResult(DC)))
        return;
      if (const auto *S = dyn_cast<ClassTemplateSpecializationDecl>(DC))
        Arguments(S->getTemplateArgs().asArray());
    } else if (const auto *TS = dyn_cast<TemplateSpecializationType>(TP)) {
      // As written: the specialization's own arguments are canonical.
      auto Args = TS->template_arguments();
      if ((Out = signatureArity(TS->getTemplateName().getAsTemplateDecl(),
                                Args)))
        return;
      Arguments(Args);
    } else if (const auto *E = dyn_cast<ElaboratedType>(TP)) {
      // `typename constraint<..., decltype(...)>::type`: the qualifier keeps
      // the arguments as written.
      if (const NestedNameSpecifier *Q = E->getQualifier())
        if (const Type *QT = Q->getAsType())
          Visit(QualType(QT, 0), Depth + 1);
    } else if (const auto *D = dyn_cast<DecltypeType>(TP)) {
      walk(D->getUnderlyingExpr(), [&](const Stmt &S) {
        if (const auto *C = dyn_cast<CallExpr>(&S))
          if (const FunctionDecl *F = C->getDirectCallee())
            Out = fromAsyncResult(F->getDeclContext());
        return !Out;
      });
    } else if (const auto *R = dyn_cast<RecordType>(TP)) {
      Out = fromAsyncResult(R->getDecl());
    }
    if (!Out)
      Visit(TP->getLocallyUnqualifiedSingleStepDesugaredType(), Depth + 1);
  };
  Visit(Call->getType(), 0);
  return Out;
}

static const AsioPlan &data(const FunctionPlan &Plan) {
  return static_cast<const AsioPlan &>(*Plan.Data);
}

/// co_spawn's completion. An exception escaping the chain propagated out of
/// the handler that threw it, out of the executor's run(); the completion
/// rethrows it there (asio::detached would drop it).
static std::string completion(const AsioPlan &A) {
  return A.Rethrow.empty()
             ? "[](std::exception_ptr e) { if (e) std::rethrow_exception(e); }"
             : A.Rethrow;
}

bool AsioDialect::nameParam(Namer &N, Step &S, unsigned I) const {
  if (I != 0)
    return false;
  const ParmVarDecl *P = S.params()[0];
  if (data(N.plan()).AsTuple) {
    // Each await binds its own error code; an unnamed one gets a name.
    if (P->getIdentifier())
      return false;
    S.AwaitName = N.unique("ec");
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
    S.AwaitName = N.unique("ec");
    return true;
  }
  N.markReusable(P);
  return false; // declared, and renamed, as the variable it is
}

/// The error code an await reports into: the handler's (renamed) parameter,
/// or the variable the step declares or reuses for it.
static std::string errorName(const PlanRewriter &R, const Step &S) {
  if (S.params().empty() && !S.AwaitName.empty())
    return S.AwaitName;
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
    Names.push_back(R.plan().named(Params[1]) ? R.finalName(Params[1]) : "");
  return Names;
}

/// How many values step \p S completes with: at least the handler's.
static unsigned arity(const Step &S) {
  unsigned Params = S.params().size();
  return std::max(completionArity(S.Call).value_or(Params), Params);
}

/// The error code type an await with no handler parameter reports into.
static std::string errorType(const AsioPlan &A) {
  return A.Boost ? "boost::system::error_code" : "asio::error_code";
}

void AsioDialect::nameAwait(Namer &N, Step &S) const {
  auto Params = S.params();
  if (data(N.plan()).AsTuple) {
    // A value the code does not use still takes a binding.
    if (!Params.empty() &&
        (arity(S) > Params.size() ||
         (Params.size() == 2 && !N.plan().named(Params[1]))))
      S.UnusedName = N.unique("unused");
    return;
  }
  // A handler bound without placeholders takes nothing: the error code the
  // await reports into (without as_tuple) is a variable of its own.
  if (!Params.empty())
    return;
  S.AwaitName = N.unique("ec");
  S.DeclaresAwaitName = true;
}

std::string AsioDialect::declareResults(const PlanRewriter &R,
                                        const Step &S) const {
  auto Params = S.params();
  const AsioPlan &A = data(R.plan());
  if (Params.empty()) // what it completes with is dropped
    return (A.AsTuple ? "" : errorType(A) + " " + S.AwaitName + ";\n") +
           await(R, S) + ";";
  if (A.AsTuple) {
    std::vector<std::string> Names = tupleNames(R, S);
    // Values the handler did not name (or bind dropped) get a name; the
    // bindings are unused only if the error code is too.
    for (unsigned I = 1; I < arity(S); ++I) {
      if (I == Names.size())
        Names.emplace_back();
      if (Names[I].empty())
        Names[I] = S.UnusedName.empty() ? "unused" : S.UnusedName;
    }
    // Nothing it completes with is used: no bindings.
    bool Unused = llvm::none_of(Params, [&](const ParmVarDecl *P) {
      return R.plan().named(P) && P->isReferenced();
    });
    if (Unused)
      return await(R, S) + ";";
    return "auto [" + llvm::join(Names, ", ") + "] = " + await(R, S) + ";";
  }
  std::string Out;
  if (S.DeclaresAwaitName)
    Out += R.writtenType(Params[0]).Arg + " " + errorName(R, S) + ";\n";
  if (Params.size() == 2 && R.plan().named(Params[1]))
    return Out + R.localType(Params[1]) + " " +
           R.finalName(Params[1]) + " = " + await(R, S) + ";";
  return Out + await(R, S) + ";";
}

std::string
AsioDialect::assignResults(const PlanRewriter &R, const Step &S,
                           llvm::ArrayRef<ParmVarDecl *> Params) const {
  const AsioPlan &A = data(R.plan());
  if (Params.empty())
    return (A.AsTuple ? "" : errorType(A) + " " + S.AwaitName + ";\n") +
           await(R, S) + ";";
  if (A.AsTuple) {
    std::vector<std::string> Names;
    for (const ParmVarDecl *P : Params)
      Names.push_back(R.plan().named(P) ? R.finalName(P) : "std::ignore");
    while (Names.size() < arity(S))
      Names.push_back("std::ignore");
    return "std::tie(" + llvm::join(Names, ", ") + ") = " + await(R, S) + ";";
  }
  if (Params.size() == 2)
    return R.finalName(Params[1]) + " = " + await(R, S) + ";";
  return await(R, S) + ";";
}

const Stmt *AsioDialect::startsFrom(const FunctionPlan &Plan) const {
  return data(Plan).SpawnFrom;
}

std::string AsioDialect::coroutineType(const PlanRewriter &R) const {
  return data(R.plan()).Ns + "::awaitable<void>";
}

std::string
AsioDialect::startCoroutine(const PlanRewriter &R,
                            llvm::ArrayRef<CoroutineArg> Args) const {
  const FunctionPlan &Plan = R.plan();
  const AsioPlan &A = data(Plan);
  // The coroutine is spawned on the executor its handlers ran on. An object
  // that shares ownership of itself is owned until the coroutine is done,
  // as its handlers owned it one after another: the function object that
  // co_spawn keeps until then (not a coroutine itself) holds the owner.
  std::string Coroutine;
  if (!A.CaptureSelf) {
    Coroutine = coroutineCall(Plan.Coroutine, Args);
  } else {
    std::string Captures = Plan.SelfName + " = shared_from_this()";
    bool Moves = false;
    for (const CoroutineArg &Arg : Args) {
      Captures += ", " + (Arg.Moved ? Arg.Name + " = std::move(" + Arg.Name +
                                          ")"
                                    : Arg.Name);
      Moves |= Arg.Moved;
    }
    Coroutine = "[" + Captures + "]" + (Moves ? "() mutable" : "") +
                " { return " + Plan.SelfName + "->" +
                coroutineCall(Plan.Coroutine, Args) + "; }";
  }
  return A.Ns + "::co_spawn(" + A.Executor + ", " + Coroutine + ", " +
         completion(A) + ");";
}

std::string AsioDialect::spawnBeside(const PlanRewriter &R, const BesideOp &B,
                                     llvm::ArrayRef<CoroutineArg> Args) const {
  const AsioPlan &A = data(R.plan());
  // On the executor of the operation's object, which its handler ran on;
  // the coroutine holds what the callback held (`this`, its copies).
  const Expr *Object = ioObject(B.S.Call);
  std::string Executor =
      R.exprText(Object) +
      (Object->getType()->isPointerType() ? "->" : ".") + "get_executor()";
  return A.Ns + "::co_spawn(" + Executor + ", " +
         coroutineCall(B.Coroutine, Args) + ", " + completion(A) + ");";
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
  // Another file changes only where it declares the class: the coroutines
  // are declared there (`asio::awaitable<void> f_coro();`).
  if (!Own)
    return {std::string("#include <") +
            (data(R.plan()).Boost ? "boost/asio" : "asio") +
            "/awaitable.hpp>"};
  // std::tie, at a back edge of a chain awaiting tuples -- unless the loop
  // starts with that operation, and the back edge is only the next turn.
  bool Ties = false;
  forEachStep(R.plan().Roots, [&](const Step &S) {
    Ties |= S.BackEdge && S.K == Step::Await && !S.params().empty() &&
            !R.rotatedAway(S);
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
  // The completion every co_spawn of the file names, defined once before
  // the file's first declaration (every chain of the file makes this same
  // edit).
  if (A.RethrowBefore)
    Out.emplace_back(
        R.path(), R.declarationStart(A.RethrowBefore), 0,
        "namespace {\n"
        "// The completion of co_spawn: an exception that escapes a coroutine\n"
        "// is rethrown out of the executor's run(), as one escaping a\n"
        "// handler was.\n"
        "constexpr auto " + A.Rethrow + " = [](std::exception_ptr e) {\n"
        "  if (e)\n"
        "    std::rethrow_exception(e);\n"
        "};\n"
        "} // namespace\n\n");
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
