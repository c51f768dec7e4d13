//===- ChainRewriter.cpp - Spell a plan out as edits ----------------------===//
//
// A plan is spelled as "micro-edits" on the original text, each a range and
// the text that replaces it: a renamed name, `return` -> `co_return`, and for
// each step the whole statement `api(args, [..](T x) { body });` replaced by
//
//   T x = co_await awaitify::from_callback<T>(
//       [&](auto resume) { api(args, resume); });
//   body
//
// where `args` and `body` are themselves rendered with the micro-edits inside
// them, so nested steps, renames and returns compose without any edit
// overlapping another. Each step at the top of the function becomes one
// tooling::Replacement; so does each micro-edit outside every step.
//
//===----------------------------------------------------------------------===//
#include "Handlers.h"
#include "Plan.h"
#include "Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/RawCommentList.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/Path.h"
#include <functional>
#include <map>
#include <set>

using namespace clang;

namespace awaitify::detail {
namespace {

struct MicroEdit {
  unsigned Begin;
  unsigned End;
  std::function<std::string()> Render;
  /// The edit keeps the text of its range, around which it adds something:
  /// rendering that range renders what is inside it, not the edit itself.
  bool Wraps = false;
};

/// Whether a step is an executor hop (`dispatch(ex, bound)`), whose call
/// arguments are not the handler's.
static bool executorHopOf(const Step &S) {
  const Expr *Ignored = nullptr;
  return S.K == Step::HandlerCall && executorHop(S.Call, Ignored);
}

class PlanRewriter {
public:
  PlanRewriter(const FunctionPlan &Plan, ASTContext &Ctx,
               llvm::ArrayRef<tooling::Replacement> Nested)
      : Plan(Plan), Nested(Nested), SM(Ctx.getSourceManager()),
        LangOpts(Ctx.getLangOpts()) {
    SourceLocation BodyBegin = SM.getFileLoc(body()->getBeginLoc());
    File = SM.getFileID(BodyBegin);
    Code = SM.getBufferData(File);
    Path = pathOf(File);
  }

  std::vector<tooling::Replacement> run();

private:
  const CompoundStmt *body() const {
    return Plan.Lambda ? Plan.Lambda->getCompoundStmtBody()
                       : cast<CompoundStmt>(Plan.Function->getBody());
  }
  std::string pathOf(FileID F) const {
    llvm::SmallString<256> P;
    if (auto Entry = SM.getFileEntryRefForID(F))
      P = Entry->getName();
    SM.getFileManager().makeAbsolutePath(P);
    llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
    return std::string(P);
  }
  unsigned offset(SourceLocation L) const {
    return SM.getFileOffset(SM.getFileLoc(L));
  }
  /// The offset just past the token that starts at \p L.
  unsigned tokenEnd(SourceLocation L) const {
    SourceLocation F = SM.getFileLoc(L);
    return SM.getFileOffset(F) + Lexer::MeasureTokenLength(F, SM, LangOpts);
  }
  /// The offset just past the `;` that ends statement \p S.
  unsigned statementEnd(const Stmt *S) const {
    SourceLocation Last = SM.getFileLoc(S->getEndLoc());
    unsigned End = tokenEnd(Last);
    std::optional<Token> Next =
        Lexer::findNextToken(Last, SM, LangOpts);
    if (Next && Next->is(tok::semi))
      End = SM.getFileOffset(Next->getLocation()) + 1;
    return End;
  }
  llvm::StringRef text(unsigned B, unsigned E) const {
    return Code.substr(B, E - B);
  }
  std::string finalName(const ValueDecl *D) const;
  /// The bodies whose code ends up in the coroutine: the function's and
  /// those of inlined handlers (flattened lambdas are inside these).
  std::vector<const CompoundStmt *> bodies() const;
  void collectNameEdits();
  void collectReturnEdits();
  void collectDroppedEdits();
  void collectStepEdits(const Step &S);
  void braceOtherArm(const Step &S);
  std::string renderStep(const Step &S);
  std::string renderAwait(const Step &S, const std::string &ErrorName);
  std::string renderBinding(const Step &S, const std::string &Await);
  std::string renderAssign(llvm::ArrayRef<ParmVarDecl *> Params,
                           llvm::ArrayRef<std::string> Values);
  /// The body a step continues in; \p AfterCode: it follows the step's own
  /// code on that code's line (an await), else it starts a line.
  std::string renderContinuation(const Step &S, bool AfterCode);
  /// The comments written in a continuation's parameter list, each on a line
  /// of its own, to go above the variables the parameters become.
  std::string parameterComments(const LambdaExpr *L) const;
  std::string loop(const std::string &Body) const;
  /// The coroutine spawned on the executor, of the code from \p From on.
  std::string spawn(const std::string &Body, unsigned From) const;
  std::string exprText(const Expr *E) const;
  /// What goes away: handlers inlined for good, access sections left empty;
  /// then the edits that remove them, with the blank lines around.
  void removeHandler(const FunctionDecl *H);
  void removeEmptySections();
  void emitRemovals(std::vector<tooling::Replacement> &Out);
  /// The edits in [B, E) that no other edit there contains, in order.
  std::vector<const MicroEdit *>
  outermost(unsigned B, unsigned E, llvm::ArrayRef<MicroEdit> Extra = {}) const;
  std::string render(unsigned B, unsigned E,
                     llvm::ArrayRef<MicroEdit> Extra = {}) const;
  void signatureEdits(std::vector<tooling::Replacement> &Out);

  const FunctionPlan &Plan;
  /// Edits of chains nested in this one's continuations.
  llvm::ArrayRef<tooling::Replacement> Nested;
  const SourceManager &SM;
  const LangOptions &LangOpts;
  FileID File;
  llvm::StringRef Code;
  std::string Path;
  std::vector<MicroEdit> Edits;
  /// Steps whose statement is `return api(...);`.
  llvm::SmallPtrSet<const Stmt *, 4> StepStatements;
  /// Ranges of whole lines to delete, by file.
  std::map<FileID, std::vector<std::pair<unsigned, unsigned>>> Removals;
  /// Steps that are an unbraced arm of an if.
  std::vector<const Step *> BracedArms;
  /// The comment after an unbraced step statement, on its line.
  llvm::DenseMap<const Stmt *, std::string> TrailingComments;
};

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
  std::sort(Inside.begin(), Inside.end(),
            [](const MicroEdit *L, const MicroEdit *R) {
              return L->Begin != R->Begin ? L->Begin < R->Begin
                                          : L->End > R->End;
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
      return RecursiveASTVisitor::TraverseLambdaExpr(L);
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

/// Widens the deletion [B, E) of \p Text to whole lines when what it deletes
/// is alone on its lines, so that no blank line is left behind.
static void wholeLines(llvm::StringRef Text, unsigned &B, unsigned &E) {
  unsigned LB = B;
  while (LB > 0 && (Text[LB - 1] == ' ' || Text[LB - 1] == '\t'))
    --LB;
  unsigned LE = E;
  while (LE < Text.size() && (Text[LE] == ' ' || Text[LE] == '\t'))
    ++LE;
  if ((LB == 0 || Text[LB - 1] == '\n') && LE < Text.size() &&
      Text[LE] == '\n') {
    B = LB;
    E = LE + 1;
  }
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
  StepStatements.insert(S.Statement);
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
  for (const Step &N : S.Next)
    collectStepEdits(N);
}

/// The type of a parameter as the user wrote it, without the reference.
/// Returns {declaration spelling, template-argument spelling}.
std::pair<std::string, std::string> parameterTypes(const ParmVarDecl *P,
                                                   const SourceManager &SM,
                                                   const LangOptions &LO) {
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

/// The parameter's type exactly as declared (references included).
static std::string declaredType(const ParmVarDecl *P, const SourceManager &SM,
                                const LangOptions &LO) {
  SourceLocation B = SM.getFileLoc(P->getBeginLoc());
  SourceLocation E = SM.getFileLoc(P->getLocation());
  return Lexer::getSourceText(CharSourceRange::getCharRange(B, E), SM, LO)
      .trim()
      .str();
}

static bool endsTerminal(llvm::StringRef Text) {
  Text = Text.rtrim();
  return Text.ends_with("continue;") || Text.ends_with("co_return;");
}

std::string PlanRewriter::exprText(const Expr *E) const {
  return render(offset(E->getBeginLoc()), tokenEnd(E->getEndLoc()));
}

std::string PlanRewriter::loop(const std::string &Body) const {
  // The body starts on a line of its own, comment or not.
  std::string Out = "for (;;) {\n" + llvm::StringRef(Body).ltrim().str();
  if (!endsTerminal(Body))
    Out += "\nco_return;";
  return Out + "\n}";
}

std::string PlanRewriter::spawn(const std::string &Body, unsigned From) const {
  const std::string &NS = Plan.AsioNs;
  std::string Captures;
  auto Add = [&](const std::string &C) {
    Captures += (Captures.empty() ? "" : ", ") + C;
  };
  if (isa<CXXMethodDecl>(Plan.Function))
    Add("this");
  if (Plan.CaptureSelf)
    Add(Plan.SelfName + " = shared_from_this()");
  // The parameters the coroutine reads, by copy (an unused capture would
  // be warned about).
  llvm::SmallPtrSet<const ValueDecl *, 4> Read;
  walk(body(), [&](const Stmt &S) {
    if (const auto *E = dyn_cast<DeclRefExpr>(&S))
      if (isa<ParmVarDecl>(E->getDecl()) && offset(E->getLocation()) >= From)
        Read.insert(E->getDecl());
    return true;
  });
  for (const ParmVarDecl *P : Plan.Function->parameters())
    if (P->getIdentifier() && Read.count(P))
      Add(finalName(P));
  bool Mutable = Plan.LoopHeads.count(Plan.Function) &&
                 Plan.Function->getNumParams() != 0;
  // An exception escaping the chain propagated out of the handler that threw
  // it, out of the executor's run(); rethrowing it from the completion keeps
  // that (asio::detached would drop it).
  return NS + "::co_spawn(" + Plan.Executor + ", [" + Captures + "]()" +
         (Mutable ? " mutable" : "") + " -> " + NS + "::awaitable<void> {" +
         Body + "\n}, [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });";
}

std::string PlanRewriter::renderAwait(const Step &S,
                                      const std::string &ErrorName) {
  unsigned CB = offset(S.Call->getBeginLoc());
  unsigned CE = tokenEnd(S.Call->getEndLoc());
  unsigned AB = offset(S.CallbackArg->getBeginLoc());
  unsigned AE = tokenEnd(S.CallbackArg->getEndLoc());
  if (S.Rule->Style == AwaitStyle::Asio) {
    std::string Token = Plan.AsioNs + "::redirect_error(" + Plan.AsioNs +
                        "::use_awaitable, " + ErrorName + ")";
    MicroEdit Callback{AB, AE, [Token] { return Token; }};
    return "co_await " + render(CB, CE, {Callback});
  }
  std::string TArgs;
  auto Params = S.params();
  if (!Params.empty()) {
    TArgs = "<";
    for (size_t I = 0; I != Params.size(); ++I)
      TArgs += (I ? ", " : "") + parameterTypes(Params[I], SM, LangOpts).second;
    TArgs += ">";
  }
  std::string Resume = S.ResumeName.empty() ? "resume" : S.ResumeName;
  MicroEdit Callback{AB, AE, [Resume] { return Resume; }};
  return "co_await awaitify::from_callback" + TArgs + "([&](auto " + Resume +
         ") { " + render(CB, CE, {Callback}) + "; })";
}

/// Declares what a step completes with and awaits it.
std::string PlanRewriter::renderBinding(const Step &S, const std::string &) {
  auto Params = S.params();
  if (S.Rule->Style == AwaitStyle::Asio) {
    const ParmVarDecl *Err = Params[0];
    std::string ErrorName = S.ErrorName.empty() ? finalName(Err) : S.ErrorName;
    std::string Out;
    if (S.DeclareError)
      Out += parameterTypes(Err, SM, LangOpts).second + " " + ErrorName + ";\n";
    std::string Await = renderAwait(S, ErrorName);
    if (Params.size() == 2 && Params[1]->getIdentifier())
      Out += parameterTypes(Params[1], SM, LangOpts).first + " " +
             finalName(Params[1]) + " = " + Await + ";";
    else
      Out += Await + ";";
    return Out;
  }
  std::string Await = renderAwait(S, "");
  std::vector<std::string> Names, DeclTypes;
  unsigned Named = 0;
  for (const ParmVarDecl *P : Params) {
    DeclTypes.push_back(parameterTypes(P, SM, LangOpts).first);
    Names.push_back(P->getIdentifier() ? finalName(P) : "");
    Named += P->getIdentifier() != nullptr;
  }
  if (Named == 0)
    return Await + ";";
  if (Params.size() == 1)
    return DeclTypes[0] + " " + Names[0] + " = " + Await + ";";
  if (Named == 1) {
    size_t I = 0;
    while (Names[I].empty())
      ++I;
    return DeclTypes[I] + " " + Names[I] + " = std::get<" + std::to_string(I) +
           ">(" + Await + ");";
  }
  unsigned Unused = 0;
  std::string List;
  for (size_t I = 0; I != Names.size(); ++I) {
    std::string N = Names[I];
    if (N.empty())
      N = "unused" + (Unused++ ? std::to_string(Unused) : std::string());
    List += (I ? ", " : "") + N;
  }
  return std::string(Unused ? "[[maybe_unused]] " : "") + "auto [" + List +
         "] = " + Await + ";";
}

/// `p = v;` for the parameters of a loop head, through temporaries when a
/// new value reads another parameter.
std::string PlanRewriter::renderAssign(llvm::ArrayRef<ParmVarDecl *> Params,
                                       llvm::ArrayRef<std::string> Values) {
  std::string Out;
  bool Temporaries = Params.size() > 1;
  for (size_t I = 0; I < Params.size(); ++I) {
    std::string Name = finalName(Params[I]);
    if (Values[I] == Name)
      continue;
    if (Temporaries)
      Out += "auto next_" + Name + " = " + Values[I] + ";\n";
    else
      Out += Name + " = " + Values[I] + ";\n";
  }
  if (Temporaries)
    for (size_t I = 0; I < Params.size(); ++I) {
      std::string Name = finalName(Params[I]);
      if (Values[I] != Name)
        Out += Name + " = std::move(next_" + Name + ");\n";
    }
  return Out;
}

std::string PlanRewriter::parameterComments(const LambdaExpr *L) const {
  if (!L || !L->hasExplicitParameters())
    return "";
  unsigned B = offset(L->getIntroducerRange().getEnd()) + 1;
  unsigned E = offset(L->getCompoundStmtBody()->getLBracLoc());
  std::string Out;
  Lexer Lex(SM.getLocForStartOfFile(File),
            LangOpts, Code.data(), Code.data() + B, Code.data() + Code.size());
  Lex.SetCommentRetentionState(true);
  Token Tok;
  for (;;) {
    Lex.LexFromRawLexer(Tok);
    if (Tok.is(tok::eof) || offset(Tok.getLocation()) >= E)
      break;
    if (Tok.is(tok::comment))
      Out += Code.substr(offset(Tok.getLocation()), Tok.getLength()).rtrim().str() + "\n";
  }
  return Out;
}

std::string PlanRewriter::renderContinuation(const Step &S, bool AfterCode) {
  const CompoundStmt *Body = S.body();
  std::string Rest = llvm::StringRef(render(offset(Body->getLBracLoc()) + 1,
                                            offset(Body->getRBracLoc())))
                         .rtrim()
                         .str();
  if (!AfterCode)
    Rest = llvm::StringRef(Rest).ltrim().str();
  if (S.Handler && Plan.LoopHeads.count(S.Handler))
    return (AfterCode ? "\n" : "") + loop(Rest);
  return Rest;
}

std::string PlanRewriter::renderStep(const Step &S) {
  std::string Out;
  if (S.ArmOf)
    Out += "{\n";

  if (S.BackEdge) {
    // Back to a loop head: its parameters take the new values.
    llvm::ArrayRef<ParmVarDecl *> Params = S.Handler->parameters();
    if (S.K == Step::Await) {
      // Bound values first, as the call evaluated them; then the completion.
      std::vector<std::string> Bound;
      for (const Expr *A : S.BoundArgs)
        Bound.push_back(exprText(A));
      Out += renderAssign(Params.take_front(Bound.size()), Bound);
      Params = Params.drop_front(Bound.size());
      if (S.Rule->Style == AwaitStyle::Asio) {
        std::string Await = renderAwait(S, finalName(Params[0]));
        Out += Params.size() == 2 ? finalName(Params[1]) + " = " + Await + ";"
                                  : Await + ";";
      } else if (Params.size() == 1) {
        Out += finalName(Params[0]) + " = " + renderAwait(S, "") + ";";
      } else if (Params.empty()) {
        Out += renderAwait(S, "") + ";";
      } else {
        std::string Names;
        for (const ParmVarDecl *P : Params)
          Names += (Names.empty() ? "" : ", ") + finalName(P);
        Out += "std::tie(" + Names + ") = " + renderAwait(S, "") + ";";
      }
      Out += "\ncontinue;";
    } else {
      std::vector<std::string> Values;
      for (const ParmVarDecl *P : Params)
        Values.push_back(exprText(argumentFor(S.Call, P)));
      if (executorHopOf(S))
        Values.clear();
      Out += renderAssign(Params, Values) + "continue;";
    }
  } else if (S.K == Step::HandlerCall) {
    // The handler's parameters become locals initialised like parameters.
    llvm::ArrayRef<ParmVarDecl *> Params = S.Handler->parameters();
    if (!executorHopOf(S))
      for (const ParmVarDecl *P : Params) {
        if (!P->getIdentifier() || Plan.Aliases.count(P))
          continue;
        const Expr *Arg = argumentFor(S.Call, P);
        std::string Value = exprText(Arg);
        // `T&& p` given a temporary: the local is that object, `T p = ...`.
        std::string Type =
            P->getType()->isRValueReferenceType() &&
                    isa<MaterializeTemporaryExpr>(Arg->IgnoreParens())
                ? parameterTypes(P, SM, LangOpts).first
                : declaredType(P, SM, LangOpts);
        Out += Type + " " + finalName(P) + " = " +
               Value + ";\n";
      }
    Out += renderContinuation(S, /*AfterCode=*/false);
  } else {
    // Init-captures own what they own for the rest of the chain.
    if (const LambdaExpr *L = S.Continuation)
      for (const LambdaCapture &C : L->captures()) {
        if (!C.capturesVariable())
          continue;
        const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
        if (!V || !L->isInitCapture(&C) || Plan.Aliases.count(V) ||
            Plan.DroppedInitCaptures.count(V))
          continue;
        std::string InitText = exprText(V->getInit());
        Out += "auto ";
        if (C.getCaptureKind() == LCK_ByRef)
          Out += "&";
        Out += finalName(V);
        if (V->getInitStyle() == VarDecl::CInit)
          Out += " = ";
        Out += InitText + ";\n";
      }
    // Values bound ahead of the completion's, evaluated where the call was.
    for (unsigned I = 0; I < S.BoundArgs.size(); ++I) {
      const ParmVarDecl *P = S.Handler->getParamDecl(I);
      std::string Value = exprText(S.BoundArgs[I]);
      if (P->getIdentifier())
        Out += declaredType(P, SM, LangOpts) + " " + finalName(P) + " = " +
               Value + ";\n";
    }
    Out += parameterComments(S.Continuation);
    Out += renderBinding(S, "");
    Out += renderContinuation(S, /*AfterCode=*/true);
  }

  if (isa<ReturnStmt>(S.Statement) && !endsTerminal(Out))
    Out += "\nco_return;";
  if (auto It = TrailingComments.find(S.Statement);
      It != TrailingComments.end())
    Out += " " + It->second;
  if (S.ArmOf)
    Out += "\n}";
  return Out;
}

void PlanRewriter::signatureEdits(std::vector<tooling::Replacement> &Out) {
  auto Replace = [&](SourceLocation B, unsigned EndOffset,
                     const std::string &Text) {
    SourceLocation F = SM.getFileLoc(B);
    unsigned Off = SM.getFileOffset(F);
    Out.emplace_back(pathOf(SM.getFileID(F)), Off, EndOffset - Off, Text);
  };
  if (const LambdaExpr *L = Plan.Lambda) {
    if (L->hasExplicitResultType()) {
      FunctionTypeLoc FTL = L->getCallOperator()
                                ->getTypeSourceInfo()
                                ->getTypeLoc()
                                .getAsAdjusted<FunctionTypeLoc>();
      SourceRange RT = FTL.getReturnLoc().getSourceRange();
      Replace(RT.getBegin(), tokenEnd(RT.getEnd()), "awaitify::detached");
    } else {
      SourceLocation Brace = L->getCompoundStmtBody()->getLBracLoc();
      std::string Text = L->hasExplicitParameters()
                             ? "-> awaitify::detached "
                             : "() -> awaitify::detached ";
      Replace(Brace, offset(Brace), Text);
    }
    return;
  }
  for (const FunctionDecl *D : Plan.Function->redecls()) {
    SourceRange RT = D->getReturnTypeSourceRange();
    Replace(RT.getBegin(), tokenEnd(RT.getEnd()), "awaitify::detached");
    for (const ParmVarDecl *Canon : Plan.ByValueParams) {
      const ParmVarDecl *P = D->getParamDecl(Canon->getFunctionScopeIndex());
      std::string Arg = parameterTypes(P, SM, LangOpts).second;
      SourceLocation B = P->getBeginLoc();
      unsigned End = P->getIdentifier() ? offset(P->getLocation())
                                        : tokenEnd(P->getEndLoc());
      Replace(B, End, P->getIdentifier() ? Arg + " " : Arg);
    }
  }
}

void PlanRewriter::removeHandler(const FunctionDecl *H) {
  const ASTContext &Ctx = H->getASTContext();
  for (const FunctionDecl *D : H->redecls()) {
    SourceLocation BeginLoc = SM.getFileLoc(D->getSourceRange().getBegin());
    if (const RawComment *C = Ctx.getRawCommentForDeclNoCache(D))
      BeginLoc = SM.getFileLoc(C->getBeginLoc());
    FileID F = SM.getFileID(BeginLoc);
    llvm::StringRef Text = SM.getBufferData(F);
    unsigned B = SM.getFileOffset(BeginLoc);
    // `//` lines right above the function (no blank line between) are its
    // comment, even when they are not documentation comments.
    auto StartOfLine = [&](unsigned Pos) -> unsigned {
      size_t NL = Text.rfind('\n', Pos);
      return NL == llvm::StringRef::npos ? 0 : NL + 1;
    };
    for (unsigned Line = StartOfLine(B);
         Line > 0 && Text.slice(Line, B).trim().empty();) {
      unsigned Prev = StartOfLine(Line - 1);
      if (!Text.slice(Prev, Line).trim().starts_with("//"))
        break;
      B = Line = Prev;
    }
    unsigned E = tokenEnd(D->getSourceRange().getEnd());
    if (!D->doesThisDeclarationHaveABody()) {
      SourceLocation Last = SM.getFileLoc(D->getSourceRange().getEnd());
      E = tokenEnd(Last);
      std::optional<Token> Next = Lexer::findNextToken(Last, SM, LangOpts);
      if (Next && Next->is(tok::semi))
        E = SM.getFileOffset(Next->getLocation()) + 1;
    }
    wholeLines(Text, B, E);
    Removals[F].push_back({B, E});
  }
}

void PlanRewriter::emitRemovals(std::vector<tooling::Replacement> &Out) {
  for (auto &[F, Ranges] : Removals) {
    llvm::StringRef Text = SM.getBufferData(F);
    llvm::sort(Ranges);
    // Ranges with only blank lines between them go as one.
    std::vector<std::pair<unsigned, unsigned>> Merged;
    for (auto [B, E] : Ranges) {
      if (!Merged.empty() &&
          Text.slice(Merged.back().second, std::max(B, Merged.back().second))
              .trim()
              .empty()) {
        Merged.back().second = std::max(Merged.back().second, E);
        continue;
      }
      Merged.push_back({B, E});
    }
    for (auto [B, E] : Merged) {
      if (isWholeLines(Text, B, E)) {
        auto BlankLineAt = [&](unsigned Pos) {
          return Pos < Text.size() && Text[Pos] == '\n';
        };
        if (BlankLineAt(E)) {
          // The blank line that separated it from what follows.
          ++E;
        } else if (B >= 2 && Text[B - 2] == '\n' &&
                   Text.substr(E).ltrim(" \t").starts_with("}")) {
          // Last in its block: the blank line before it goes instead.
          --B;
        }
      }
      Out.emplace_back(pathOf(F), B, E - B, "");
    }
  }
}

void PlanRewriter::removeEmptySections() {
  // `private:` whose members were all handlers that went away goes too.
  llvm::SmallPtrSet<const CXXRecordDecl *, 2> Classes;
  llvm::SmallPtrSet<const Decl *, 8> Gone;
  for (const FunctionDecl *H : Plan.Removed)
    if (const auto *M = dyn_cast<CXXMethodDecl>(H)) {
      Classes.insert(M->getParent());
      for (const FunctionDecl *D : H->redecls())
        Gone.insert(D);
    }
  for (const CXXRecordDecl *RD : Classes) {
    const AccessSpecDecl *Open = nullptr;
    bool Empty = false;
    auto Close = [&] {
      if (!Open || !Empty || Open->getBeginLoc().isMacroID())
        return;
      unsigned B = offset(Open->getBeginLoc());
      unsigned E = tokenEnd(Open->getColonLoc());
      wholeLines(Code, B, E);
      Removals[File].push_back({B, E});
    };
    for (const Decl *D : RD->decls()) {
      if (D->isImplicit())
        continue;
      if (const auto *A = dyn_cast<AccessSpecDecl>(D)) {
        Close();
        Open = A;
        Empty = true;
        continue;
      }
      if (!Gone.count(D))
        Empty = false;
    }
    Close();
  }
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
  for (const Step *S : BracedArms)
    braceOtherArm(*S);
  collectDroppedEdits();
  collectNameEdits();
  collectReturnEdits();

  std::vector<tooling::Replacement> Out;
  unsigned BodyBegin = offset(body()->getLBracLoc()) + 1;
  unsigned BodyEnd = offset(body()->getRBracLoc());
  bool Loops = Plan.LoopHeads.count(Plan.Function);
  if (Plan.Asio || Loops || Plan.KeepSelf) {
    // The body changes shape: a loop, or a spawned coroutine -- from the
    // line after the statements that stay in the call, if any.
    unsigned From = BodyBegin;
    if (Plan.SpawnFrom) {
      const Stmt *Before = *std::prev(llvm::find(body()->body(), Plan.SpawnFrom));
      From = statementEnd(Before);
      size_t NL = Code.find('\n', From);
      if (NL != llvm::StringRef::npos && NL < offset(Plan.SpawnFrom->getBeginLoc()))
        From = NL + 1;
      for (const MicroEdit *M : outermost(BodyBegin, From))
        Out.emplace_back(Path, M->Begin, M->End - M->Begin, M->Render());
    }
    std::string Inner = llvm::StringRef(render(From, BodyEnd)).rtrim().str();
    bool Gap = llvm::StringRef(Inner).starts_with("\n");
    if (Loops)
      Inner = "\n" + loop(Inner);
    if (Plan.KeepSelf)
      Inner = "\nauto " + Plan.SelfName + " = shared_from_this();" +
              (Gap ? "" : "\n") + Inner;
    if (Plan.Asio)
      Inner = Plan.SpawnFrom ? (Gap ? "\n" : "") +
                                   spawn("\n" + llvm::StringRef(Inner).ltrim().str(), From)
                             : "\n" + spawn(Inner, From);
    Out.emplace_back(Path, From, BodyEnd - From, Inner + "\n");
  } else {
    // The outermost edits (a step renders what is inside it) become
    // replacements.
    for (const MicroEdit *M : outermost(BodyBegin, BodyEnd))
      Out.emplace_back(Path, M->Begin, M->End - M->Begin, M->Render());
  }
  if (!Plan.Asio)
    signatureEdits(Out);
  for (const FunctionDecl *H : Plan.Removed)
    removeHandler(H);
  removeEmptySections();
  emitRemovals(Out);

  // Every file that now needs the runtime (or Asio's coroutine support)
  // gets its header.
  std::set<std::string> Files;
  for (const tooling::Replacement &R : Out)
    if (R.getLength() || !R.getReplacementText().empty())
      Files.insert(R.getFilePath().str());
  for (const std::string &F : Files) {
    if (!Plan.Asio) {
      Out.emplace_back(F, UINT_MAX, 0, "#include <awaitify/awaitify.hpp>");
      continue;
    }
    if (F != Path)
      continue;
    Out.emplace_back(F, UINT_MAX, 0, "#include <exception>");
    std::string Dir = Plan.AsioLibrary == "asio" ? "asio" : "boost/asio";
    if (Code.contains("#include <" + Dir + ".hpp>"))
      continue;
    for (const char *H : {"co_spawn", "redirect_error", "use_awaitable"})
      Out.emplace_back(F, UINT_MAX, 0, "#include <" + Dir + "/" + H + ".hpp>");
  }
  return Out;
}

} // namespace

std::vector<tooling::Replacement>
rewritePlan(const FunctionPlan &Plan, ASTContext &Ctx,
            llvm::ArrayRef<tooling::Replacement> Nested) {
  return PlanRewriter(Plan, Ctx, Nested).run();
}

} // namespace awaitify::detail
