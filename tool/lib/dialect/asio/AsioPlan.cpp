//===- AsioPlan.cpp - Whether an Asio chain can be spawned, and how -------===//
//
// An Asio chain becomes a coroutine spawned on the executor its handlers ran
// on: the handlers must have Asio's shape (an error code first, at most one
// value), the executor must be known where the chain starts, and every hop
// must go to that same executor. The library's version says when the first
// operation starts.
//
//===----------------------------------------------------------------------===//
#include "dialect/asio/AsioDialect.h"
#include "analysis/Handlers.h"
#include "analysis/KeepAlive.h"
#include "support/Ast.h"
#include "support/Walk.h"
#include "plan/Naming.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Preprocessor.h"

using namespace clang;

namespace awaitify::detail {

/// Whether \p T is an error code: std::error_code (standalone Asio's
/// asio::error_code) or boost::system::error_code (beast::error_code).
static bool isErrorCode(QualType T) {
  std::string Name = classTemplateName(T);
  return Name == "std::error_code" || Name == "boost::system::error_code";
}

const Expr *ioObject(const CallExpr *Call) {
  if (const auto *M = dyn_cast<CXXMemberCallExpr>(Call))
    return M->getImplicitObjectArgument();
  if (Call->getNumArgs() > 0)
    return Call->getArg(0);
  return nullptr;
}

/// Whether \p F is declared in namespace boost (Boost.Asio, Beast), not in
/// standalone Asio's.
static bool inBoost(const FunctionDecl *F) {
  const NamespaceDecl *Outer = nullptr;
  for (const DeclContext *DC = F->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC); NS && !NS->isInline())
      Outer = NS;
  return Outer && Outer->getName() == "boost";
}

/// How the file spells the Asio namespace \p LibraryNs ("boost::asio" or
/// "asio"): a namespace alias of it declared in the main file (`net`), else
/// the namespace itself.
static std::string namespaceSpelling(ASTContext &Ctx,
                                     llvm::StringRef LibraryNs) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (const auto *A = dyn_cast<NamespaceAliasDecl>(D))
      if (SM.isInMainFile(SM.getFileLoc(A->getLocation())))
        if (const NamespaceDecl *NS = A->getNamespace())
          if (qualifiedName(NS) == LibraryNs)
            return A->getName().str();
  return LibraryNs.str();
}

/// The chain's first operation (every plan has one).
static const Step *firstAwait(const FunctionPlan &Plan) {
  const Step *First = nullptr;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (S.K == Step::Await && !First)
      First = &S;
  });
  return First;
}

/// Why the handler of await step \p S does not have Asio's shape, or
/// nothing.
static std::optional<std::string> handlerProblem(const Step &S) {
  auto Params = S.params();
  // A handler bound without placeholders takes nothing (bind drops what
  // the operation completes with).
  if (!Params.empty() && !isErrorCode(Params[0]->getType()))
    return "the handler of '" + S.Callee + "' does not take an error code "
           "first";
  if (Params.size() > 2)
    return "the handler of '" + S.Callee + "' receives more than one value";
  return std::nullopt;
}

bool AsioDialect::checkHandlers(const FunctionPlan &Plan,
                                std::string &Why) const {
  bool Ok = true;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (S.K != Step::Await || !Ok)
      return;
    if (auto Problem = handlerProblem(S)) {
      Why = *Problem;
      Ok = false;
    }
  });
  return Ok;
}

std::optional<std::string> AsioDialect::besideProblem(const Step &S) const {
  if (auto Problem = handlerProblem(S))
    return Problem;
  // The coroutine is spawned on the executor of the operation's object,
  // which the spawn and the coroutine each name: a variable or a member,
  // maybe through a pointer -- nothing that computes.
  const Expr *Object = ioObject(S.Call);
  bool Plain =
      Object && !inMacro(Object->getBeginLoc()) &&
      !inMacro(Object->getEndLoc()) && walk(Object, [](const Stmt &N) {
        if (const auto *U = dyn_cast<UnaryOperator>(&N))
          return U->getOpcode() == UO_Deref;
        if (const auto *O = dyn_cast<CXXOperatorCallExpr>(&N))
          return O->getOperator() == OO_Arrow || O->getOperator() == OO_Star;
        return isa<DeclRefExpr, MemberExpr, CXXThisExpr, ImplicitCastExpr,
                   ParenExpr>(N);
      });
  if (!Plain)
    return std::string("the object it is called on is computed, not a "
                       "variable or a member");
  QualType T = Object->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  ASTContext &Ctx = S.Call->getDirectCallee()->getASTContext();
  if (!RD || !hasMember(RD, DeclarationName(&Ctx.Idents.get("get_executor"))))
    return std::string("the object it is called on has no get_executor() "
                       "to spawn its coroutine on");
  return std::nullopt;
}

bool AsioDialect::planExecutor(FunctionPlan &Plan, AsioPlan &A,
                               const PlanContext &C, std::string &Why) const {
  // The executor the handlers ran on: an explicit hop's, else the I/O
  // object's of the first operation.
  const Step *FirstAwait = firstAwait(Plan);
  const Step &First = Plan.Roots.front();
  const Expr *Executor = First.Hop == this ? First.HopExecutor : nullptr;
  bool ViaObject = !Executor;
  if (!Executor)
    Executor = ioObject(FirstAwait->Call);
  bool Spawnable = Executor != nullptr;
  if (Executor) {
    // Only the function's own parameters: locals and lambda parameters are
    // not there before the coroutine starts.
    bool OwnNames = walk(Executor, [&](const Stmt &S) {
      const auto *R = dyn_cast<DeclRefExpr>(&S);
      const auto *V = R ? dyn_cast<VarDecl>(R->getDecl()) : nullptr;
      return !V || !V->isLocalVarDeclOrParm() ||
             (isa<ParmVarDecl>(V) && V->getDeclContext() == Plan.Function);
    });
    Spawnable = OwnNames && !inMacro(Executor->getBeginLoc()) &&
                !inMacro(Executor->getEndLoc());
  }
  if (!Spawnable) {
    Why = "cannot tell, where the chain starts, which executor its handlers "
          "ran on";
    return false;
  }
  A.Executor = spelling(Executor, C.Ctx);
  if (ViaObject)
    A.Executor += Executor->getType()->isPointerType() ? "->get_executor()"
                                                       : ".get_executor()";
  // Any later hop must go to that same executor, where dispatch runs the
  // handler at once.
  bool Ok = true;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (!Ok || S.Hop != this || &S == &First)
      return;
    std::string To = spelling(S.HopExecutor, C.Ctx);
    if (To != A.Executor) {
      Why = "the chain hops to executor '" + To +
            "', not the one it starts on ('" + A.Executor + "')";
      Ok = false;
    }
  });
  return Ok;
}

void AsioDialect::rateStart(FunctionPlan &Plan, const AsioPlan &A,
                            const PlanContext &C) const {
  // When the first operation starts: co_spawn posted the coroutine's first
  // step until Asio 1.22 (Boost 1.78), so the operation started on a later
  // turn of the executor, after whatever was queued there already (a write
  // queue's posted close() overtakes the first write). From Asio 1.22 it
  // dispatches: inside the call, when the call runs on that executor.
  // Boost's version is always there (Asio's config includes it); the
  // standalone library's only with <asio.hpp> or <asio/version.hpp>.
  const char *Macro = A.Boost ? "BOOST_VERSION" : "ASIO_VERSION";
  std::optional<unsigned> Version = macroNumber(C.PP, Macro);
  if (Version && *Version >= (A.Boost ? 107800u : 102200u)) {
    Plan.lower(Confidence::Reasonable,
               "the first operation starts inside the call when '" +
                   qualifiedName(Plan.Function) + "' is called from a "
                   "handler running on the executor; called from anywhere "
                   "else (before run(), another thread), it starts on a "
                   "later turn of the executor");
    return;
  }
  // Both macros read XXYYZZ: major, minor, patch.
  std::string Which =
      !Version ? std::string("this Asio (") + Macro +
                     " unknown: include <asio/version.hpp>)"
               : std::string(A.Boost ? "Boost " : "Asio ") +
                     std::to_string(*Version / 100000) + "." +
                     std::to_string(*Version / 100 % 1000) + "." +
                     std::to_string(*Version % 100);
  Plan.lower(Confidence::Risky,
             "with " + Which + ", co_spawn posts the coroutine: its first "
             "operation would start on a later turn of the executor, after "
             "work already queued there, not inside the call as before "
             "(Asio 1.22 and Boost 1.78 dispatch it)");
}

/// Whether the code that moves into the coroutine names an owner of the
/// object that the rewrite drops (`self` of `auto self(shared_from_this())`
/// or of `[self = shared_from_this()]`) other than to capture it in a
/// continuation that is flattened.
static bool namesOwner(const FunctionPlan &Plan) {
  llvm::SmallPtrSet<const Decl *, 4> Owners(Plan.DroppedInitCaptures.begin(),
                                            Plan.DroppedInitCaptures.end());
  for (const Stmt *S : Plan.DroppedStatements)
    if (const VarDecl *V = selfKeeper(S))
      Owners.insert(V);
  llvm::SmallPtrSet<const Stmt *, 8> InCaptures;
  auto Skip = [&](const Stmt *Code) {
    if (Code)
      walk(Code, [&](const Stmt &C) { return InCaptures.insert(&C), true; });
  };
  // What the rewrite removes: a handler call's callee (`self->h`, the
  // call itself for a hop), an await's binder (a lambda's body stays).
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (S.K == Step::HandlerCall)
      Skip(S.Hop ? S.Call : S.Call->getCallee());
    else if (!S.Continuation) // a lambda's captures: when the walk meets it
      Skip(S.CallbackArg);
  });
  bool Named = false;
  auto Visit = [&](const Stmt &S) {
    if (const auto *L = dyn_cast<LambdaExpr>(&S); L && Plan.Flattened.count(L))
      for (const Expr *Init : L->capture_inits())
        Skip(Init);
    if (const auto *R = dyn_cast<DeclRefExpr>(&S))
      Named |= !InCaptures.count(&S) && Owners.count(R->getDecl());
    return !Named;
  };
  walk(Plan.Function->getBody(), Visit);
  for (const FunctionDecl *H : Plan.Inlined)
    walk(H->getBody(), Visit);
  return Named;
}

/// What the function does before its first operation stays in the call, as
/// before, when it can: one chain, started by a statement of the function's
/// own body, after statements that declare nothing the coroutine could need
/// and cannot return.
static const Stmt *spawnFrom(const FunctionPlan &Plan) {
  const FunctionDecl *F = Plan.Function;
  if (Plan.LoopHeads.count(F) || Plan.Roots.size() != 1)
    return nullptr;
  const auto *Body = cast<CompoundStmt>(F->getBody());
  const Stmt *First = Plan.Roots.front().Statement;
  auto At = llvm::find(Body->body(), First);
  if (At == Body->body_end() || At == Body->body_begin())
    return nullptr;
  // No return, and no dropped `auto self(shared_from_this());` named again.
  auto Ok = [&](const Stmt &S) {
    if (isa<ReturnStmt>(S))
      return false;
    const auto *R = dyn_cast<DeclRefExpr>(&S);
    return !R || llvm::none_of(Plan.DroppedStatements, [&](const Stmt *D) {
             const VarDecl *V = selfKeeper(D);
             return V && V == R->getDecl();
           });
  };
  for (auto It = Body->body_begin(); It != At; ++It) {
    if (Plan.DroppedStatements.count(*It))
      continue;
    if (isa<DeclStmt>(*It) || !walk(*It, Ok, Lambdas::Skip))
      return nullptr;
  }
  // Nothing to keep but a dropped self keeper: the whole body is spawned.
  bool Kept = std::any_of(Body->body_begin(), At, [&](const Stmt *S) {
    return !Plan.DroppedStatements.count(S);
  });
  return Kept ? First : nullptr;
}

/// The Asio version: its own macro when the translation unit has it (only
/// some headers include version.hpp); for Boost.Asio else the one that
/// BOOST_VERSION ships, which Boost's config always defines (Boost 1.78
/// ships Asio 1.22, 1.80 Asio 1.24); 0 when unknown.
static unsigned asioVersion(const AsioPlan &A, const PlanContext &C) {
  if (std::optional<unsigned> V =
          macroNumber(C.PP, A.Boost ? "BOOST_ASIO_VERSION" : "ASIO_VERSION"))
    return *V;
  std::optional<unsigned> Boost =
      A.Boost ? macroNumber(C.PP, "BOOST_VERSION") : std::nullopt;
  if (!Boost)
    return 0;
  return *Boost >= 108000 ? 102400 : *Boost >= 107800 ? 102200 : 101800;
}

/// Whether the library's C++20 coroutine support is on in this build. It
/// is off when its configuration does not recognise the compiler (Boost
/// 1.74 and Asio 1.22 recognise GCC's coroutines, not clang's): then the
/// build needs the flags that turn it on, said once for the file.
static bool coroutinesOn(const AsioPlan &A, const PlanContext &C,
                         std::string &Why) {
  const char *Macro = A.Boost ? "BOOST_ASIO_HAS_CO_AWAIT" : "ASIO_HAS_CO_AWAIT";
  if (!C.PP || C.PP->getMacroInfo(C.PP->getIdentifierInfo(Macro)))
    return true;
  std::string Flags = A.Boost ? "-DBOOST_ASIO_HAS_CO_AWAIT "
                                "-DBOOST_ASIO_HAS_STD_COROUTINE"
                              : "-DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE";
  std::string Library = A.Boost ? "Boost.Asio" : "Asio";
  Why = Library + "'s coroutine support is off in this build (" + Macro +
        " is not defined)";
  std::string Note = Library + " does not enable its C++20 coroutines for "
                     "this compiler by itself: add " + Flags +
                     " to the build's flags to have its chains rewritten";
  if (!llvm::is_contained(C.Notes, Note))
    C.Notes.push_back(Note);
  return false;
}

/// Whether \p Name, written unqualified in \p F, could name something: a
/// member of its class or bases, or a declaration of an enclosing namespace.
static bool namesSomething(const FunctionDecl *F, llvm::StringRef Name,
                           ASTContext &Ctx) {
  auto It = Ctx.Idents.find(Name);
  if (It == Ctx.Idents.end())
    return false;
  DeclarationName DN(It->getValue());
  for (const DeclContext *DC = F->getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *RD = dyn_cast<CXXRecordDecl>(DC)) {
      if (hasMember(RD, DN))
        return true;
    } else if (!DC->lookup(DN).empty()) {
      return true;
    }
  }
  return false;
}

/// co_spawn's completion: `rethrow`, which the main file defines once, in an
/// anonymous namespace before its first declaration (or has from an earlier
/// rewrite); a lambda in place when the function is in a header or the name
/// means something else there.
static void planRethrow(const FunctionDecl *F, AsioPlan &A, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!SM.isWrittenInMainFile(SM.getFileLoc(F->getLocation())))
    return;
  const llvm::StringRef Name = "rethrow";
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    const auto *NS = dyn_cast<NamespaceDecl>(D);
    if (!NS || !NS->isAnonymousNamespace() ||
        !SM.isWrittenInMainFile(SM.getFileLoc(NS->getLocation())))
      continue;
    for (const Decl *Inner : NS->decls())
      if (const auto *V = dyn_cast<VarDecl>(Inner);
          V && V->getName() == Name && V->getType()->isRecordType()) {
        A.Rethrow = Name.str();
        return;
      }
  }
  if (namesSomething(F, Name, Ctx))
    return;
  for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (!D->isImplicit() && D->getLocation().isValid() &&
        SM.isWrittenInMainFile(SM.getFileLoc(D->getLocation()))) {
      A.Rethrow = Name.str();
      A.RethrowBefore = D;
      return;
    }
}

bool AsioDialect::plan(FunctionPlan &Plan, const PlanContext &C,
                       std::string &Why) const {
  if (Plan.Lambda) {
    Why = "an Asio chain whose enclosing function is a lambda";
    return false;
  }
  if (!checkHandlers(Plan, Why))
    return false;
  for (const ParmVarDecl *P : Plan.Function->parameters())
    if (P->getType()->isReferenceType()) {
      Why = "reference parameter '" + P->getName().str() +
            "' would have to outlive the call in the spawned coroutine";
      return false;
    }
  auto A = std::make_shared<AsioPlan>();
  const Step *FirstAwait = firstAwait(Plan);
  A->Boost = inBoost(FirstAwait->Call->getDirectCallee());
  if (!coroutinesOn(*A, C, Why))
    return false;
  A->Ns = namespaceSpelling(C.Ctx, A->Boost ? "boost::asio" : "asio");
  A->Version = asioVersion(*A, C);
  A->AsTuple = A->Version >= 102400;
  if (!planExecutor(Plan, *A, C, Why))
    return false;
  const auto *M = dyn_cast<CXXMethodDecl>(Plan.Function);
  A->CaptureSelf = M && sharesOwnership(M->getParent());
  if (A->CaptureSelf) {
    // The spawned coroutine owns the object until it ends.
    dropKeepers(Plan);
    rateOwnedWaits(Plan, C.Ctx.getSourceManager());
  }
  rateStart(Plan, *A, C);
  A->SpawnFrom = spawnFrom(Plan);
  planRethrow(Plan.Function, *A, C.Ctx);
  // The chain moves into a coroutine of the function's own, which the
  // function spawns; one that names the object's owner takes one itself.
  Plan.Coroutine = coroutineName(Plan.Function, C.Ctx);
  Plan.KeepSelf = A->CaptureSelf && namesOwner(Plan);
  Plan.Data = std::move(A);
  return true;
}

} // namespace awaitify::detail
