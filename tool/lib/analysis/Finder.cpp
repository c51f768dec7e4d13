//===- Finder.cpp - Find callback chains ---------------------------------===//
//
// For every function of the translation unit (outside system headers), the
// finder looks for completion calls in tail position whose continuation is a
// lambda or a bound handler, follows them into the continuations' bodies
// (Steps.cpp), and decides whether the function can become a coroutine that
// awaits each step in turn:
//
//  * the function: returns void, is not main, a constructor, virtual, variadic
//    or a template, its address is not taken, it is not already a coroutine,
//    and (a lambda) it captures nothing -- a coroutine lambda's captures live
//    in the closure object, which may be destroyed while it is suspended;
//  * each continuation: returns void, is not generic, not a coroutine, has no
//    labels, and is not spelled by a macro;
//  * captures keep their meaning: a by-copy capture that the callee may also
//    modify, or that the body moves from, lowers the confidence; a reference
//    parameter that a continuation copies becomes a by-value parameter (when
//    it is const) or stops the rewrite (when it is not);
//  * the awaits are all of one dialect, which plans how the coroutine starts;
//  * declarations that flattening moves into an enclosing scope are renamed
//    when they would collide with, or shadow, another name there.
//
// What it decides goes into a FunctionPlan; rewrite/ spells it out.
//
//===----------------------------------------------------------------------===//
#include "analysis/Finder.h"
#include "dialect/Dialect.h"
#include "plan/Naming.h"
#include "rewrite/Format.h"
#include "plan/Guards.h"
#include "support/Walk.h"
#include "rewrite/Rewriter.h"
#include "support/Ast.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/Attr.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace awaitify {
namespace detail {

static void planIgnored(FunctionPlan &Plan);

const ApiRule *Finder::ruleFor(const FunctionDecl *Callee) {
  Callee = Callee->getCanonicalDecl();
  auto [It, Inserted] = RuleCache.try_emplace(Callee, nullptr);
  if (!Inserted)
    return It->second;
  const FunctionDecl *Pattern = Callee;
  if (const FunctionDecl *P = Callee->getTemplateInstantiationPattern())
    Pattern = P;
  const ApiRule *Rule = Rules.lookup(qualifiedName(Pattern));
  if (!Rule) {
    for (const FunctionDecl *D : Pattern->redecls())
      for (const auto *A : D->specific_attrs<AnnotateAttr>())
        if (A->getAnnotation() == CompletionAnnotation ||
            A->getAnnotation() == LaterCompletionAnnotation) {
          ApiRule R;
          R.Name = qualifiedName(Pattern);
          R.CompletesLater = A->getAnnotation() == LaterCompletionAnnotation;
          R.Origin = "[[clang::annotate]]";
          AnnotationRules.push_back(std::move(R));
          Rule = &AnnotationRules.back();
          break;
        }
  }
  RuleCache[Callee] = Rule;
  return Rule;
}

Location Finder::locate(SourceLocation L) const {
  Location Loc;
  Loc.Loc = L;
  SourceLocation F = SM.getFileLoc(L);
  if (F.isInvalid())
    return Loc;
  if (auto Entry = SM.getFileEntryRefForID(SM.getFileID(F))) {
    llvm::SmallString<256> Path(Entry->getName());
    SM.getFileManager().makeAbsolutePath(Path);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    Loc.File = std::string(Path);
  }
  Loc.Line = SM.getSpellingLineNumber(F);
  Loc.Column = SM.getSpellingColumnNumber(F);
  Loc.Offset = SM.getFileOffset(F);
  return Loc;
}

void Finder::skip(SourceLocation L, const FunctionDecl *F, std::string Reason) {
  if (!SkipsSeen.insert({L.getRawEncoding(), Reason}).second)
    return; // said already (a call is seen from each function around it)
  LeftAlone S;
  S.Where = locate(L);
  // Inside a lambda, name the function the user wrote it in.
  const DeclContext *DC = F;
  while (DC && (isa<CXXRecordDecl>(DC) ||
                (isa<FunctionDecl>(DC) &&
                 isLambdaCallOperator(cast<FunctionDecl>(DC)))))
    DC = DC->getParent();
  if (const auto *Named = dyn_cast_or_null<FunctionDecl>(DC))
    S.Function = qualifiedName(Named);
  else if (F)
    S.Function = "(lambda)";
  S.Reason = std::move(Reason);
  Out.Skipped.push_back(std::move(S));
}

std::string Finder::label(const ValueDecl *V) const {
  return "'" + V->getName().str() + "' (" +
         V->getType()
             .getNonReferenceType()
             .getUnqualifiedType()
             .getAsString(Ctx.getPrintingPolicy()) +
         ")";
}

void Finder::analyze(const FunctionDecl *F, const LambdaExpr *L) {
  if (L && AllFlattened.count(L))
    return; // a continuation of a chain found already
  if (Claimed.count(F->getCanonicalDecl()))
    return; // inlined into a chain found already
  const Stmt *Body = L ? L->getCompoundStmtBody() : F->getBody();
  if (!Body || inMacro(Body->getBeginLoc()))
    return;
  llvm::SmallVector<TailSite, 4> Sites;
  collectTails(Body, /*InTail=*/true, Sites);
  FunctionPlan Plan;
  Plan.Function = F;
  Plan.Lambda = L;
  FunctionState St;
  St.F = F;
  // Only a function that can become a coroutine enters a loop of handlers
  // (else the loop's head stays a chain of its own).
  St.EnterLoops = !functionProblem(F, L);
  St.Path.push_back(F->getCanonicalDecl());
  recognizeAll(dyn_cast<CompoundStmt>(Body), Sites, 1, St, Plan.Roots);
  if (Plan.Roots.empty())
    return;

  bool Awaits = false;
  forEachStep(Plan.Roots, [&](const Step &S) {
    Awaits |= S.K == Step::Await;
    if (S.Continuation)
      Plan.Flattened.insert(S.Continuation);
    if (S.Handler && S.BackEdge)
      Plan.LoopHeads.insert(S.Handler);
    else if (S.Handler && !llvm::is_contained(Plan.Inlined, S.Handler))
      Plan.Inlined.push_back(S.Handler);
  });
  if (!Awaits)
    return; // calls of handlers, nothing asynchronous

  SourceLocation First = Plan.Roots.front().Call->getBeginLoc();
  unsigned Depth = Plan.depth();
  if (Depth < Opts.MinDepth && Plan.LoopHeads.empty()) {
    skip(First, F,
         "a single callback, not a chain (depth " + std::to_string(Depth) +
             " < " + std::to_string(Opts.MinDepth) + ")" +
             (St.Stop.empty() ? "" : "; " + St.Stop));
    return;
  }
  if (auto Problem = functionProblem(F, L)) {
    skip(First, F, *Problem);
    return;
  }
  std::string Why;
  if (!decide(Plan, Why)) {
    skip(First, F, Why);
    return;
  }
  findBeside(Plan);
  planIgnored(Plan);
  planGuards(Plan);
  Namer(Plan, Ctx).run();

  // Chains of loops that this one enters are part of it now.
  llvm::erase_if(Plans,
                 [&](const FunctionPlan &Other) { return covers(Plan, Other); });
  Claimed.insert(F->getCanonicalDecl());
  for (const FunctionDecl *H : Plan.Inlined)
    Claimed.insert(H->getCanonicalDecl());
  AllFlattened.insert(Plan.Flattened.begin(), Plan.Flattened.end());
  Plans.push_back(std::move(Plan));
}

bool Finder::chooseDialect(FunctionPlan &Plan, std::string &Why) {
  // Every await of one dialect; a hop only in a chain of its own dialect.
  bool Ok = true;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (!Ok || S.K != Step::Await)
      return;
    const Dialect *D = findDialect(S.Rule->Await);
    if (!Plan.D) {
      Plan.D = D;
    } else if (D != Plan.D) {
      const Dialect *Named = Plan.D->library().empty() ? D : Plan.D;
      Why = "the chain mixes " + Named->library().str() +
            " operations with other completion APIs";
      Ok = false;
    }
  });
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (Ok && S.Hop && S.Hop != Plan.D) {
      Why = "an executor hop in a chain of non-" + S.Hop->library().str() +
            " operations";
      Ok = false;
    }
  });
  return Ok;
}

bool Finder::decide(FunctionPlan &Plan, std::string &Why) {
  if (!checkHandlers(Plan, Why) || !checkCaptures(Plan, Why) ||
      !checkLocks(Plan, Why) || !chooseDialect(Plan, Why) ||
      !Plan.D->plan(Plan, PlanContext{Ctx, PP, Out.Notes}, Why))
    return false;
  checkLocals(Plan);
  checkLentLocals(Plan);
  checkInlineFirstSteps(Plan);
  return true;
}

/// Parameters of continuations and handlers whose only uses are statements
/// `boost::ignore_unused(p);` of their body: the statements go, and the
/// coroutine does not declare what it does not use.
static void planIgnored(FunctionPlan &Plan) {
  auto IgnoreCall = [](const Stmt *S) -> const CallExpr * {
    const auto *E = dyn_cast<Expr>(S);
    const auto *C = E ? dyn_cast<CallExpr>(E->IgnoreImplicit()) : nullptr;
    const FunctionDecl *F = C ? C->getDirectCallee() : nullptr;
    return F && isNamed(F, "boost::ignore_unused") ? C : nullptr;
  };
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (S.K != Step::Await || S.BackEdge)
      return;
    const CompoundStmt *Body = S.body();
    // The statements that only ignore parameters of this step.
    llvm::SmallPtrSet<const Stmt *, 4> Statements;
    llvm::SmallPtrSet<const ParmVarDecl *, 4> Candidates;
    for (const Stmt *Child : Body->body()) {
      const CallExpr *C = IgnoreCall(Child);
      if (!C || C->getNumArgs() == 0)
        continue;
      bool OwnParams = llvm::all_of(C->arguments(), [&](const Expr *A) {
        const auto *R = dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts());
        const auto *P = R ? dyn_cast<ParmVarDecl>(R->getDecl()) : nullptr;
        return P && llvm::is_contained(S.params(), P);
      });
      if (!OwnParams)
        continue;
      Statements.insert(Child);
      for (const Expr *A : C->arguments())
        Candidates.insert(cast<ParmVarDecl>(
            cast<DeclRefExpr>(A->IgnoreParenImpCasts())->getDecl()));
    }
    if (Statements.empty())
      return;
    // Used anywhere else: kept, statements and all.
    walk(Body, [&](const Stmt &Node) {
      if (Statements.count(&Node))
        return true;
      if (const auto *R = dyn_cast<DeclRefExpr>(&Node))
        if (const auto *P = dyn_cast<ParmVarDecl>(R->getDecl());
            P && Candidates.count(P)) {
          bool InIgnore = llvm::any_of(Statements, [&](const Stmt *St) {
            return St->getSourceRange().fullyContains(R->getSourceRange());
          });
          if (!InIgnore)
            Candidates.erase(P);
        }
      return true;
    });
    for (const Stmt *St : Statements) {
      const CallExpr *C = IgnoreCall(St);
      bool All = llvm::all_of(C->arguments(), [&](const Expr *A) {
        return Candidates.count(cast<ParmVarDecl>(
            cast<DeclRefExpr>(A->IgnoreParenImpCasts())->getDecl()));
      });
      if (All)
        Plan.DroppedStatements.insert(St);
    }
    // Only parameters whose every ignore_unused statement goes.
    for (const ParmVarDecl *P : Candidates) {
      bool Kept = llvm::any_of(Statements, [&](const Stmt *St) {
        return !Plan.DroppedStatements.count(St) &&
               llvm::any_of(IgnoreCall(St)->arguments(), [&](const Expr *A) {
                 return cast<DeclRefExpr>(A->IgnoreParenImpCasts())
                            ->getDecl() == P;
               });
      });
      if (!Kept)
        Plan.Ignored.insert(P);
    }
  });
}

/// The edits without the text they keep at either end: formatting may
/// extend an edit over a neighbour's whitespace it leaves as it was, which
/// would make edits of separate chains overlap.
static std::vector<tooling::Replacement>
minimalEdits(std::vector<tooling::Replacement> Edits, const SourceManager &SM) {
  std::vector<tooling::Replacement> Out;
  for (const tooling::Replacement &R : Edits) {
    auto FE = SM.getFileManager().getOptionalFileRef(R.getFilePath());
    FileID ID = FE ? SM.translateFile(*FE) : FileID();
    std::optional<llvm::StringRef> Code =
        ID.isValid() ? SM.getBufferDataOrNone(ID) : std::nullopt;
    if (!Code || R.getOffset() + R.getLength() > Code->size()) {
      Out.push_back(R);
      continue;
    }
    llvm::StringRef Old = Code->substr(R.getOffset(), R.getLength());
    llvm::StringRef New = R.getReplacementText();
    size_t Tail = 0;
    while (Tail < Old.size() && Tail < New.size() &&
           Old[Old.size() - 1 - Tail] == New[New.size() - 1 - Tail])
      ++Tail;
    // A CRLF line break stays whole (its line ending is chosen later).
    while (Tail && Old.size() > Tail && Old[Old.size() - Tail - 1] == '\r')
      --Tail;
    Old = Old.drop_back(Tail);
    New = New.drop_back(Tail);
    size_t Head = 0;
    while (Head < Old.size() && Head < New.size() && Old[Head] == New[Head])
      ++Head;
    while (Head && Old[Head - 1] == '\r')
      --Head;
    if (Old.size() == Head && New.size() == Head)
      continue; // changes nothing
    Out.emplace_back(R.getFilePath(), R.getOffset() + Head, Old.size() - Head,
                     New.drop_front(Head));
  }
  return Out;
}

Chain Finder::finish(FunctionPlan &Plan) {
  Chain C;
  const FunctionDecl *F = Plan.Function;
  C.Function = Plan.Lambda ? "(lambda)" : qualifiedName(F);
  C.FunctionWhere = locate(Plan.Lambda ? Plan.Lambda->getBeginLoc()
                                       : F->getLocation());
  C.Where = locate(Plan.Roots.front().Call->getBeginLoc());
  std::function<void(const Step &)> Add = [&](const Step &S) {
    ChainStep CS;
    CS.Where = locate(S.Call->getBeginLoc());
    CS.Callee = S.Callee;
    CS.Depth = S.Depth;
    C.Steps.push_back(std::move(CS));
    for (const Step &N : S.Next)
      Add(N);
  };
  // Operations beside the chain come first: the function starts them
  // first.
  for (const BesideOp &B : Plan.Beside)
    Add(B.S);
  for (const Step &R : Plan.Roots)
    Add(R);
  C.Depth = Plan.depth();
  C.NeedsRuntime = Plan.D->usesRuntime();
  C.Conf = Plan.Conf;
  C.Assumptions = Plan.Assumptions;
  std::vector<std::pair<unsigned, std::string>> Renames;
  for (const auto &[D, New] : Plan.Renames)
    Renames.push_back({SM.getFileOffset(SM.getFileLoc(D->getLocation())),
                       "'" + D->getName().str() + "' renamed to '" + New +
                           "' (the name is taken where it now lands)"});
  llvm::sort(Renames);
  for (auto &R : Renames)
    C.Renames.push_back(std::move(R.second));
  return C;
}

void Finder::run() {
  Index = TUIndex::build(Ctx);
  for (const FunctionDecl *F : Index.Functions)
    analyze(F, nullptr);
  for (const LambdaExpr *L : Index.Lambdas)
    analyze(L->getCallOperator(), L);

  // A completion call never looked at in tail position is not in one.
  for (const auto &[C, Fn] : Index.CallbackCalls)
    if (!SeenCalls.count(C) && ruleFor(C->getDirectCallee()) &&
        !SM.isInSystemHeader(SM.getExpansionLoc(C->getBeginLoc())))
      skip(SM.getExpansionLoc(C->getBeginLoc()), Fn,
           "the call of '" + ruleFor(C->getDirectCallee())->Name +
               "' is not in tail position: code after it runs before its "
               "callback does, and awaiting it would change that order");
  emitChains();
}

void Finder::emitChains() {
  // A chain in a lambda inside another chain's continuations is rewritten
  // with it: its edits are carried inside the outer chain's.
  auto StepRegions = [&](const FunctionPlan &P) {
    std::vector<std::pair<unsigned, unsigned>> Out;
    forEachStep(P.Roots, [&](const Step &S) {
      Out.push_back({SM.getFileOffset(SM.getFileLoc(S.Statement->getBeginLoc())),
                     SM.getFileOffset(SM.getFileLoc(S.Statement->getEndLoc()))});
    });
    return Out;
  };
  std::vector<int> Outer(Plans.size(), -1);
  for (size_t I = 0; I < Plans.size(); ++I) {
    if (!Plans[I].Lambda)
      continue;
    unsigned B = SM.getFileOffset(SM.getFileLoc(Plans[I].Lambda->getBeginLoc()));
    for (size_t J = 0; J < Plans.size(); ++J)
      if (J != I)
        for (auto [RB, RE] : StepRegions(Plans[J]))
          if (RB < B && B < RE)
            Outer[I] = J;
  }
  std::vector<std::vector<tooling::Replacement>> Carried(Plans.size());
  std::vector<bool> Accepted(Plans.size(), false);
  std::vector<Chain> Chains(Plans.size());
  auto Process = [&](size_t I) {
    FunctionPlan &P = Plans[I];
    Chain C = finish(P);
    if (!C.Conf.atLeast(Opts.MinConfidence)) {
      std::string Why = "confidence '" + C.Conf.name().str() +
                        "' is below the minimum '" +
                        Opts.MinConfidence.name().str() + "'";
      for (const std::string &A : C.Assumptions)
        Why += "; " + A;
      skip(P.Roots.front().Call->getBeginLoc(), P.Function, Why);
      return;
    }
    if (Outer[I] >= 0 && Outer[Outer[I]] >= 0) {
      skip(P.Roots.front().Call->getBeginLoc(), P.Function,
           "the lambda is nested two chains deep; run again to rewrite it");
      return;
    }
    if (Opts.ComputeEdits) {
      std::vector<tooling::Replacement> Raw = rewritePlan(P, Ctx, Carried[I]);
      if (Outer[I] >= 0) {
        // Rewritten as part of the outer chain.
        for (tooling::Replacement &R : Raw)
          Carried[Outer[I]].push_back(std::move(R));
      } else {
        std::string Error;
        C.Edits = minimalEdits(formatEdits(Raw, SM, Opts, Error), SM);
        if (!Error.empty()) {
          skip(P.Roots.front().Call->getBeginLoc(), P.Function,
               "the rewrite could not be formed: " + Error);
          return;
        }
      }
    }
    Accepted[I] = true;
    Chains[I] = std::move(C);
  };
  for (size_t I = 0; I < Plans.size(); ++I)
    if (Outer[I] >= 0)
      Process(I);
  for (size_t I = 0; I < Plans.size(); ++I)
    if (Outer[I] < 0)
      Process(I);
  for (size_t I = 0; I < Plans.size(); ++I)
    if (Accepted[I])
      Out.Chains.push_back(std::move(Chains[I]));
  auto ByPlace = [](const Location &A, const Location &B) {
    return std::tie(A.File, A.Offset) < std::tie(B.File, B.Offset);
  };
  llvm::sort(Out.Chains, [&](const Chain &A, const Chain &B) {
    return ByPlace(A.Where, B.Where);
  });
  llvm::sort(Out.Skipped, [&](const LeftAlone &A, const LeftAlone &B) {
    if (A.Where.File != B.Where.File || A.Where.Offset != B.Where.Offset)
      return ByPlace(A.Where, B.Where);
    return A.Reason < B.Reason;
  });
}

} // namespace detail

AnalysisResult analyzeTranslationUnit(ASTContext &Ctx, const RuleSet &Rules,
                                      const AnalysisOptions &Opts,
                                      const Preprocessor *PP) {
  AnalysisResult Out;
  detail::Finder(Ctx, Rules, Opts, Out, PP).run();
  return Out;
}

} // namespace awaitify
