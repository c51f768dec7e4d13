//===- Rewriter.cpp - Spell a plan out as edits ---------------------------===//
//
// The rewriter's core: the micro-edits (renames, returns, steps, dropped
// keep-alives), rendering a range with them, and the replacements of a
// plan. How each step reads is in Steps.cpp, what goes away in Removals.cpp;
// the dialect spells awaits and the function around the coroutine.
//
//===----------------------------------------------------------------------===//
#include "rewrite/Rewriter.h"
#include "dialect/Dialect.h"
#include "support/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/Path.h"
#include <set>
#include <tuple>

using namespace clang;

namespace awaitify::detail {

PlanRewriter::PlanRewriter(const FunctionPlan &Plan, ASTContext &Ctx,
                           llvm::ArrayRef<tooling::Replacement> Nested)
    : Plan(Plan), Nested(Nested), SM(Ctx.getSourceManager()),
      LangOpts(Ctx.getLangOpts()) {
  SourceLocation BodyBegin = SM.getFileLoc(body()->getBeginLoc());
  File = SM.getFileID(BodyBegin);
  Code = SM.getBufferData(File);
  Path = pathOf(File);
}

const CompoundStmt *PlanRewriter::body() const {
  return Plan.Lambda ? Plan.Lambda->getCompoundStmtBody()
                     : cast<CompoundStmt>(Plan.Function->getBody());
}

std::string PlanRewriter::pathOf(FileID F) const {
  llvm::SmallString<256> P;
  if (auto Entry = SM.getFileEntryRefForID(F))
    P = Entry->getName();
  SM.getFileManager().makeAbsolutePath(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

unsigned PlanRewriter::tokenEnd(SourceLocation L) const {
  SourceLocation F = SM.getFileLoc(L);
  return SM.getFileOffset(F) + Lexer::MeasureTokenLength(F, SM, LangOpts);
}

unsigned PlanRewriter::statementEnd(const Stmt *S) const {
  return endWithSemi(S->getEndLoc());
}

unsigned PlanRewriter::endWithSemi(SourceLocation L) const {
  SourceLocation Last = SM.getFileLoc(L);
  unsigned End = tokenEnd(Last);
  std::optional<Token> Next = Lexer::findNextToken(Last, SM, LangOpts);
  if (Next && Next->is(tok::semi))
    End = SM.getFileOffset(Next->getLocation()) + 1;
  return End;
}

tooling::Replacement PlanRewriter::replace(SourceLocation B, unsigned EndOffset,
                                           const std::string &Text) const {
  SourceLocation F = SM.getFileLoc(B);
  unsigned Off = SM.getFileOffset(F);
  return tooling::Replacement(pathOf(SM.getFileID(F)), Off, EndOffset - Off,
                              Text);
}

std::string PlanRewriter::finalName(const ValueDecl *D) const {
  if (const auto *V = dyn_cast<VarDecl>(D))
    if (auto It = Plan.Aliases.find(V); It != Plan.Aliases.end())
      return finalName(It->second);
  if (auto It = Plan.Renames.find(D); It != Plan.Renames.end())
    return It->second;
  return D->getName().str();
}

std::vector<const MicroEdit *>
PlanRewriter::outermost(unsigned B, unsigned E,
                        llvm::ArrayRef<MicroEdit> Extra) const {
  std::vector<const MicroEdit *> Inside;
  for (const MicroEdit &M : Edits)
    if (M.Begin >= B && M.End <= E && !(M.Wraps && M.Begin == B && M.End == E))
      Inside.push_back(&M);
  for (const MicroEdit &M : Extra)
    Inside.push_back(&M);
  // By start; at one offset insertions first (they go before what starts
  // there, in the order they were made), then the widest.
  auto Key = [&](const MicroEdit *M) {
    bool Own = !Edits.empty() && M >= &Edits.front() && M <= &Edits.back();
    size_t Order = Own ? M - Edits.data() : Edits.size() + (M - Extra.data());
    return std::make_tuple(M->Begin, M->Begin != M->End, -int64_t(M->End),
                           Order);
  };
  llvm::sort(Inside, [&](const MicroEdit *L, const MicroEdit *R) {
    return Key(L) < Key(R);
  });
  // An edit inside the one before it is rendered by that one.
  std::vector<const MicroEdit *> Out;
  for (const MicroEdit *M : Inside)
    if (Out.empty() || M->Begin >= Out.back()->End)
      Out.push_back(M);
  return Out;
}

std::string PlanRewriter::render(unsigned B, unsigned E,
                                 llvm::ArrayRef<MicroEdit> Extra) const {
  std::string Out;
  unsigned Pos = B;
  for (const MicroEdit *M : outermost(B, E, Extra)) {
    Out += text(Pos, M->Begin);
    Out += M->Render();
    Pos = M->End;
  }
  Out += text(Pos, E);
  return Out;
}

std::vector<const CompoundStmt *> PlanRewriter::bodies() const {
  std::vector<const CompoundStmt *> Out{body()};
  for (const FunctionDecl *H : Plan.Inlined)
    Out.push_back(cast<CompoundStmt>(H->getBody()));
  return Out;
}

void PlanRewriter::collectNameEdits() {
  struct Visitor : RecursiveASTVisitor<Visitor> {
    PlanRewriter &R;
    explicit Visitor(PlanRewriter &R) : R(R) {}
    bool shouldVisitImplicitCode() const { return false; }
    void renameAt(SourceLocation L, const ValueDecl *D) {
      std::string New = R.finalName(D);
      if (L.isInvalid() || L.isMacroID() || New == D->getName())
        return;
      unsigned B = R.offset(L);
      R.Edits.push_back({B, R.tokenEnd(L), [New] { return New; }});
    }
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      renameAt(E->getLocation(), E->getDecl());
      return true;
    }
    bool VisitVarDecl(VarDecl *V) {
      // Parameters and init-captures of flattened lambdas are re-declared by
      // the step itself; body locals keep their declaration, renamed.
      if (!isa<ParmVarDecl>(V) && !V->isInitCapture() &&
          !isa<DecompositionDecl>(V))
        renameAt(V->getLocation(), V);
      return true;
    }
    bool VisitBindingDecl(BindingDecl *B) {
      renameAt(B->getLocation(), B);
      return true;
    }
    bool TraverseLambdaExpr(LambdaExpr *L) {
      // Captures named in the capture list of a lambda that stays.
      if (!R.Plan.Flattened.count(L))
        for (const LambdaCapture &C : L->explicit_captures())
          if (C.capturesVariable() && !L->isInitCapture(&C))
            renameAt(C.getLocation(), C.getCapturedVar());
      return traverseAsRun(*this, L);
    }
  } V(*this);
  for (const CompoundStmt *B : bodies())
    V.TraverseStmt(const_cast<CompoundStmt *>(B));
}

void PlanRewriter::collectReturnEdits() {
  // `return;` in the function, in inlined handlers and in flattened
  // continuations -- not in lambdas that stay lambdas -- ends the chain:
  // `co_return;`. `return f(x);` becomes `f(x); co_return;`.
  llvm::SmallPtrSet<const Stmt *, 16> InBlock;
  auto Visit = [&](const Stmt &Node) {
    if (const auto *CS = dyn_cast<CompoundStmt>(&Node))
      InBlock.insert(CS->body_begin(), CS->body_end());
    const auto *S = dyn_cast<ReturnStmt>(&Node);
    if (!S || StepStatements.count(S) || S->getReturnLoc().isMacroID())
      return true;
    unsigned B = offset(S->getReturnLoc());
    if (!S->getRetValue()) {
      Edits.push_back({B, B + 6, [] { return std::string("co_return"); }});
      return true;
    }
    const Expr *Value = S->getRetValue();
    bool Braces = !InBlock.count(S);
    unsigned VB = offset(Value->getBeginLoc());
    unsigned VE = tokenEnd(Value->getEndLoc());
    Edits.push_back({B, statementEnd(S), [this, VB, VE, Braces] {
                       std::string Text = render(VB, VE) + ";\nco_return;";
                       return Braces ? "{\n" + Text + "\n}" : Text;
                     }});
    return true;
  };
  auto Flattened = [&](const LambdaExpr &L) {
    return Plan.Flattened.count(&L) != 0;
  };
  for (const CompoundStmt *B : bodies())
    walk(B, Visit, Flattened);
}

void PlanRewriter::collectDroppedEdits() {
  for (const Stmt *S : Plan.DroppedStatements) {
    unsigned B = offset(S->getBeginLoc());
    unsigned E = statementEnd(S);
    wholeLines(Code, B, E);
    Edits.push_back({B, E, [] { return std::string(); }});
  }
}

void PlanRewriter::braceOtherArm(const Step &S) {
  // The step's arm of an if gets braces; so does the other arm, if it is a
  // single statement, so that the if reads as one.
  const IfStmt *If = S.ArmOf;
  if (!If)
    return;
  const Stmt *Other =
      If->getThen() == S.Statement ? If->getElse() : If->getThen();
  if (!Other || StepStatements.count(Other) || isa<CompoundStmt>(Other) ||
      isa<IfStmt>(Other) ||
      Other->getBeginLoc().isMacroID() || Other->getEndLoc().isMacroID())
    return;
  unsigned B = offset(Other->getBeginLoc());
  unsigned E = isa<Expr>(Other) || isa<ReturnStmt>(Other) ||
                       isa<DeclStmt>(Other) || isa<NullStmt>(Other)
                   ? statementEnd(Other)
                   : tokenEnd(Other->getEndLoc());
  MicroEdit Wrap{B, E, [this, B, E] { return "{\n" + render(B, E) + "\n}"; }};
  Wrap.Wraps = true;
  Edits.push_back(std::move(Wrap));
}

void PlanRewriter::collectStepEdits(const Step &S) {
  StepStatements[S.Statement] = &S;
  unsigned B = offset(S.Statement->getBeginLoc());
  unsigned E = statementEnd(S.Statement);
  if (S.ArmOf) {
    // `if (x) f(); // why`: the comment goes inside the new braces, with
    // the statement it was written for.
    unsigned C = E;
    while (C < Code.size() && (Code[C] == ' ' || Code[C] == '\t'))
      ++C;
    if (Code.substr(C).starts_with("//")) {
      size_t NL = Code.find('\n', C);
      unsigned End = NL == llvm::StringRef::npos ? Code.size() : NL;
      TrailingComments[S.Statement] = Code.substr(C, End - C).rtrim().str();
      E = End;
    }
  }
  // The `return;` or `break;` right after the step goes with it: it is
  // not needed after code that jumps (renderStep).
  if (S.Ender && !S.Ender->getBeginLoc().isMacroID()) {
    unsigned At = offset(S.Ender->getBeginLoc());
    if (At >= E && text(E, At).trim().empty()) {
      E = statementEnd(S.Ender);
      TakenEnders.insert(&S);
    }
  }
  // A call that meets others after their branch and has no parameter to
  // assign goes, line and all.
  if (S.Arrives && !S.ArmOf &&
      llvm::none_of(S.Handler->parameters(),
                    [&](const ParmVarDecl *P) { return Plan.named(P); }))
    wholeLines(Code, B, E);
  // A switch case that gets declarations gets braces, from its first
  // statement to the step's end.
  if (S.CaseBegin && S.CaseBegin != S.Statement && caseNeedsBraces(S)) {
    unsigned CB = offset(S.CaseBegin->getBeginLoc());
    MicroEdit Wrap{CB, E, [this, CB, E] { return "{\n" + render(CB, E) + "\n}"; }};
    Wrap.Wraps = true;
    Edits.push_back(std::move(Wrap));
  }
  // `f(...); // why` after a step whose last flattened line has a comment
  // of its own: the two comments stay on lines of their own.
  llvm::StringRef After = Code.substr(E).ltrim(" \t");
  bool CommentAfter = !S.ArmOf && After.starts_with("//");
  Edits.push_back({B, E, [this, &S, CommentAfter] {
                     std::string Text = renderStep(S);
                     llvm::StringRef Last = llvm::StringRef(Text).rsplit('\n').second;
                     if (Last.empty())
                       Last = Text;
                     if (CommentAfter && Last.contains("//"))
                       Text += "\n";
                     return Text;
                   }});
  if (S.ArmOf)
    BracedArms.push_back(&S);
  if (S.Join)
    collectJoinEdits(S, E);
  for (const Step &N : S.Next)
    collectStepEdits(N);
}

WrittenType PlanRewriter::writtenType(const ParmVarDecl *P) const {
  const LangOptions &LO = LangOpts;
  // A generic lambda's `auto` (or template) parameter: the type its one
  // specialization has, as the program names it.
  if (const auto *F = dyn_cast<FunctionDecl>(P->getDeclContext()))
    if (const FunctionDecl *Pattern = F->getTemplateInstantiationPattern();
        Pattern && P->getFunctionScopeIndex() < Pattern->getNumParams() &&
        Pattern->getParamDecl(P->getFunctionScopeIndex())
            ->getType()
            ->isDependentType()) {
      PrintingPolicy Policy(LO);
      Policy.SuppressUnwrittenScope = true;
      QualType Value = P->getType().getNonReferenceType();
      return {Value.getAsString(Policy),
              Value.getUnqualifiedType().getAsString(Policy)};
    }
  SourceLocation B = SM.getFileLoc(P->getBeginLoc());
  SourceLocation E = P->getIdentifier()
                         ? SM.getFileLoc(P->getLocation())
                         : Lexer::getLocForEndOfToken(
                               SM.getFileLoc(P->getEndLoc()), 0, SM, LO);
  std::string Written =
      Lexer::getSourceText(CharSourceRange::getCharRange(B, E), SM, LO).str();
  llvm::StringRef T = llvm::StringRef(Written).trim();
  if (P->getType()->isReferenceType()) {
    if (T.ends_with("&&"))
      T = T.drop_back(2).rtrim();
    else if (T.ends_with("&"))
      T = T.drop_back(1).rtrim();
  }
  std::string Decl = T.str();
  QualType Value = P->getType().getNonReferenceType();
  if (Value.isLocalConstQualified()) {
    if (T.starts_with("const "))
      T = T.drop_front(6).ltrim();
    else if (T.ends_with(" const"))
      T = T.drop_back(6).rtrim();
  }
  return {Decl, T.str()};
}

std::string PlanRewriter::localType(const ParmVarDecl *P) const {
  const auto *H = dyn_cast<FunctionDecl>(P->getDeclContext());
  QualType T = P->getType();
  bool Assigned = H && H != Plan.Function && Plan.LoopHeads.count(H) &&
                  !T->isRValueReferenceType() &&
                  T.getNonReferenceType().isConstQualified();
  return Assigned ? writtenType(P).Arg : writtenType(P).Decl;
}

std::string PlanRewriter::declaredType(const ParmVarDecl *P) const {
  SourceLocation B = SM.getFileLoc(P->getBeginLoc());
  SourceLocation E = SM.getFileLoc(P->getLocation());
  return Lexer::getSourceText(CharSourceRange::getCharRange(B, E), SM,
                              LangOpts)
      .trim()
      .str();
}

std::string PlanRewriter::exprText(const Expr *E) const {
  return render(offset(E->getBeginLoc()), tokenEnd(E->getEndLoc()));
}

std::string PlanRewriter::callWithCallback(const Step &S,
                                           std::string Callback) const {
  unsigned AB = offset(S.CallbackArg->getBeginLoc());
  unsigned AE = tokenEnd(S.CallbackArg->getEndLoc());
  MicroEdit Edit{AB, AE, [Callback] { return Callback; }};
  return render(offset(S.Call->getBeginLoc()), tokenEnd(S.Call->getEndLoc()),
                {Edit});
}

void PlanRewriter::reshapeBody(std::vector<tooling::Replacement> &Out) {
  // The body changes shape: a loop, an owner, or the dialect's wrapping --
  // from the line after the statements that stay in the call, if any.
  unsigned BodyBegin = offset(body()->getLBracLoc()) + 1;
  unsigned BodyEnd = offset(body()->getRBracLoc());
  unsigned From = BodyBegin;
  if (const Stmt *Start = Plan.D->startsFrom(Plan)) {
    const Stmt *Before = *std::prev(llvm::find(body()->body(), Start));
    From = statementEnd(Before);
    size_t NL = Code.find('\n', From);
    if (NL != llvm::StringRef::npos && NL < offset(Start->getBeginLoc()))
      From = NL + 1;
    for (const MicroEdit *M : outermost(BodyBegin, From))
      Out.emplace_back(Path, M->Begin, M->End - M->Begin, M->Render());
  }
  std::string Inner = llvm::StringRef(render(From, BodyEnd)).rtrim().str();
  bool Gap = llvm::StringRef(Inner).starts_with("\n");
  if (Plan.LoopHeads.count(Plan.Function))
    Inner = "\n" + loop(Inner, endsWithJump(body()));
  if (Plan.KeepSelf)
    Inner = "\nauto " + Plan.SelfName + " = shared_from_this();" +
            (Gap ? "" : "\n") + Inner;
  if (!Plan.Coroutine.empty())
    return delegate(std::move(Inner), From, Out);
  Out.emplace_back(Path, From, BodyEnd - From, Inner + "\n");
}

void PlanRewriter::addHeaders(std::vector<tooling::Replacement> &Out) {
  // Every file that now needs the dialect's headers gets them.
  std::set<std::string> Files;
  for (const tooling::Replacement &R : Out)
    if (R.getLength() || !R.getReplacementText().empty())
      Files.insert(R.getFilePath().str());
  for (const std::string &F : Files)
    for (const std::string &H : Plan.D->headers(*this, F == Path))
      Out.emplace_back(F, UINT_MAX, 0, H);
  Plan.D->includeEdits(*this, Out);
}

std::vector<tooling::Replacement> PlanRewriter::run() {
  for (const tooling::Replacement &R : Nested)
    if (R.getOffset() != UINT_MAX && R.getFilePath() == Path) {
      std::string Text = R.getReplacementText().str();
      Edits.push_back({R.getOffset(), R.getOffset() + R.getLength(),
                       [Text] { return Text; }});
    }
  for (const Step &R : Plan.Roots)
    collectStepEdits(R);
  for (const BesideOp &B : Plan.Beside)
    collectBesideEdits(B);
  for (const Step *S : BracedArms)
    if (!Plan.Guards.count(S->ArmOf))
      braceOtherArm(*S);
  collectDroppedEdits();
  collectNameEdits();
  collectPointerEdits();
  collectReturnEdits();
  collectGuardEdits();
  collectDroppedElses();
  collectRotatedLoops();
  if (Plan.LoopHeads.count(Plan.Function))
    collectFinalBackEdges(body(), Plan.Function);
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (!S.BackEdge && S.Handler && Plan.LoopHeads.count(S.Handler))
      collectFinalBackEdges(S.body(), S.Handler);
  });

  std::vector<tooling::Replacement> Out;
  if (Plan.LoopHeads.count(Plan.Function) || Plan.KeepSelf ||
      !Plan.Coroutine.empty()) {
    reshapeBody(Out);
  } else {
    // The outermost edits (a step renders what is inside it) become
    // replacements.
    for (const MicroEdit *M : outermost(offset(body()->getLBracLoc()) + 1,
                                        offset(body()->getRBracLoc())))
      Out.emplace_back(Path, M->Begin, M->End - M->Begin, M->Render());
  }
  Plan.D->signatureEdits(*this, Out);
  for (const FunctionDecl *H : Plan.Removed)
    removeHandler(H);
  removeEmptySections();
  addPendingMember(Out);
  emitRemovals(Out);
  addHeaders(Out);
  return Out;
}

std::vector<tooling::Replacement>
rewritePlan(const FunctionPlan &Plan, ASTContext &Ctx,
            llvm::ArrayRef<tooling::Replacement> Nested) {
  return PlanRewriter(Plan, Ctx, Nested).run();
}

} // namespace awaitify::detail
