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
#include "Plan.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/Path.h"
#include <functional>
#include <set>

using namespace clang;

namespace awaitify::detail {
namespace {

struct MicroEdit {
  unsigned Begin;
  unsigned End;
  std::function<std::string()> Render;
};

class PlanRewriter {
public:
  PlanRewriter(const FunctionPlan &Plan, ASTContext &Ctx)
      : Plan(Plan), SM(Ctx.getSourceManager()),
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
  void collectNameEdits();
  void collectReturnEdits();
  void collectStepEdits(const Step &S);
  std::string renderStep(const Step &S);
  std::string render(unsigned B, unsigned E,
                     llvm::ArrayRef<MicroEdit> Extra = {}) const;
  void signatureEdits(std::vector<tooling::Replacement> &Out);

  const FunctionPlan &Plan;
  const SourceManager &SM;
  const LangOptions &LangOpts;
  FileID File;
  llvm::StringRef Code;
  std::string Path;
  std::vector<MicroEdit> Edits;
  /// Steps whose statement is `return api(...);`.
  llvm::SmallPtrSet<const Stmt *, 4> StepStatements;
};

std::string PlanRewriter::finalName(const ValueDecl *D) const {
  if (const auto *V = dyn_cast<VarDecl>(D))
    if (auto It = Plan.Aliases.find(V); It != Plan.Aliases.end())
      return finalName(It->second);
  if (auto It = Plan.Renames.find(D); It != Plan.Renames.end())
    return It->second;
  return D->getName().str();
}

std::string PlanRewriter::render(unsigned B, unsigned E,
                                 llvm::ArrayRef<MicroEdit> Extra) const {
  std::vector<const MicroEdit *> Inside;
  for (const MicroEdit &M : Edits)
    if (M.Begin >= B && M.End <= E)
      Inside.push_back(&M);
  for (const MicroEdit &M : Extra)
    Inside.push_back(&M);
  std::sort(Inside.begin(), Inside.end(),
            [](const MicroEdit *L, const MicroEdit *R) {
              return L->Begin != R->Begin ? L->Begin < R->Begin
                                          : L->End > R->End;
            });
  std::string Out;
  unsigned Pos = B;
  for (const MicroEdit *M : Inside) {
    if (M->Begin < Pos)
      continue; // nested in the edit before: that edit renders it
    Out += text(Pos, M->Begin);
    Out += M->Render();
    Pos = M->End;
  }
  Out += text(Pos, E);
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
      if (!isa<ParmVarDecl>(V) && !V->isInitCapture() && !isa<DecompositionDecl>(V))
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
  V.TraverseStmt(const_cast<CompoundStmt *>(body()));
}

void PlanRewriter::collectReturnEdits() {
  // `return;` in the function and in flattened continuations, not in lambdas
  // that stay lambdas.
  struct Visitor : RecursiveASTVisitor<Visitor> {
    PlanRewriter &R;
    explicit Visitor(PlanRewriter &R) : R(R) {}
    bool TraverseLambdaExpr(LambdaExpr *L) {
      if (R.Plan.Flattened.count(L))
        return TraverseStmt(L->getCompoundStmtBody());
      return true;
    }
    bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
    bool VisitReturnStmt(ReturnStmt *S) {
      if (R.StepStatements.count(S) || S->getReturnLoc().isMacroID())
        return true;
      unsigned B = R.offset(S->getReturnLoc());
      R.Edits.push_back({B, B + 6, [] { return std::string("co_return"); }});
      return true;
    }
  } V(*this);
  V.TraverseStmt(const_cast<CompoundStmt *>(body()));
}

void PlanRewriter::collectStepEdits(const Step &S) {
  StepStatements.insert(S.Statement);
  unsigned B = offset(S.Statement->getBeginLoc());
  unsigned E = statementEnd(S.Statement);
  Edits.push_back({B, E, [this, &S] { return renderStep(S); }});
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

std::string PlanRewriter::renderStep(const Step &S) {
  const LambdaExpr *L = S.Continuation;
  const CompoundStmt *Body = L->getCompoundStmtBody();
  std::string Out;

  // An unbraced if-arm gets braces: it now holds several statements.
  bool Braces = S.NeedsBraces;
  if (Braces)
    Out += "{\n";

  // Init-captures own what they own for the rest of the chain.
  for (const LambdaCapture &C : L->captures()) {
    if (!C.capturesVariable())
      continue;
    const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
    if (!V || !L->isInitCapture(&C) || Plan.Aliases.count(V))
      continue;
    const Expr *Init = V->getInit();
    unsigned IB = offset(Init->getBeginLoc());
    unsigned IE = tokenEnd(Init->getEndLoc());
    std::string InitText = render(IB, IE);
    Out += "auto ";
    if (C.getCaptureKind() == LCK_ByRef)
      Out += "&";
    Out += finalName(V);
    if (V->getInitStyle() == VarDecl::CInit)
      Out += " = ";
    Out += InitText + ";\n";
  }

  // What the continuation received becomes what co_await yields.
  auto Params = L->getCallOperator()->parameters();
  std::vector<std::string> ArgTypes, Names, DeclTypes;
  unsigned Named = 0;
  for (const ParmVarDecl *P : Params) {
    auto [Decl, Arg] = parameterTypes(P, SM, LangOpts);
    DeclTypes.push_back(Decl);
    ArgTypes.push_back(Arg);
    Names.push_back(P->getIdentifier() ? finalName(P) : "");
    Named += P->getIdentifier() != nullptr;
  }
  std::string TArgs;
  if (!ArgTypes.empty()) {
    TArgs = "<";
    for (size_t I = 0; I != ArgTypes.size(); ++I)
      TArgs += (I ? ", " : "") + ArgTypes[I];
    TArgs += ">";
  }

  unsigned CB = offset(S.Call->getBeginLoc());
  unsigned CE = tokenEnd(S.Call->getEndLoc());
  unsigned AB = offset(S.CallbackArg->getBeginLoc());
  unsigned AE = tokenEnd(S.CallbackArg->getEndLoc());
  std::string Resume = S.ResumeName;
  MicroEdit Callback{AB, AE, [Resume] { return Resume; }};
  std::string Await = "co_await awaitify::from_callback" + TArgs + "([&](auto " +
                      Resume + ") { " + render(CB, CE, {Callback}) + "; })";

  if (Named == 0) {
    Out += Await + ";";
  } else if (Params.size() == 1) {
    Out += DeclTypes[0] + " " + Names[0] + " = " + Await + ";";
  } else if (Named == 1) {
    size_t I = 0;
    while (Names[I].empty())
      ++I;
    Out += DeclTypes[I] + " " + Names[I] + " = std::get<" + std::to_string(I) +
           ">(" + Await + ");";
  } else {
    unsigned Unused = 0;
    std::string List;
    for (size_t I = 0; I != Names.size(); ++I) {
      std::string N = Names[I];
      if (N.empty())
        N = "unused" + (Unused++ ? std::to_string(Unused) : std::string());
      List += (I ? ", " : "") + N;
    }
    Out += std::string(Unused ? "[[maybe_unused]] " : "") + "auto [" + List +
           "] = " + Await + ";";
  }

  std::string Rest =
      render(offset(Body->getLBracLoc()) + 1, offset(Body->getRBracLoc()));
  Out += llvm::StringRef(Rest).rtrim().str();
  if (isa<ReturnStmt>(S.Statement))
    Out += "\nco_return;";
  if (Braces)
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
      SourceRange RT = L->getCallOperator()->getReturnTypeSourceRange();
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
      auto [Decl, Arg] = parameterTypes(P, SM, LangOpts);
      (void)Decl;
      SourceLocation B = P->getBeginLoc();
      unsigned End = P->getIdentifier() ? offset(P->getLocation())
                                        : tokenEnd(P->getEndLoc());
      Replace(B, End, P->getIdentifier() ? Arg + " " : Arg);
    }
  }
}

std::vector<tooling::Replacement> PlanRewriter::run() {
  for (const Step &R : Plan.Roots)
    collectStepEdits(R);
  collectNameEdits();
  collectReturnEdits();

  std::vector<tooling::Replacement> Out;
  // The top-level edits (not inside a step) become replacements.
  unsigned BodyBegin = offset(body()->getLBracLoc()) + 1;
  unsigned BodyEnd = offset(body()->getRBracLoc());
  std::vector<const MicroEdit *> Top;
  for (const MicroEdit &M : Edits)
    Top.push_back(&M);
  std::sort(Top.begin(), Top.end(), [](const MicroEdit *L, const MicroEdit *R) {
    return L->Begin != R->Begin ? L->Begin < R->Begin : L->End > R->End;
  });
  unsigned Pos = BodyBegin;
  for (const MicroEdit *M : Top) {
    if (M->Begin < Pos || M->End > BodyEnd)
      continue;
    Out.emplace_back(Path, M->Begin, M->End - M->Begin, M->Render());
    Pos = M->End;
  }
  signatureEdits(Out);

  // Every file that now names awaitify:: needs the runtime.
  std::set<std::string> Files;
  for (const tooling::Replacement &R : Out)
    Files.insert(R.getFilePath().str());
  for (const std::string &F : Files)
    Out.emplace_back(F, UINT_MAX, 0, "#include <awaitify/awaitify.hpp>");
  return Out;
}

} // namespace

std::vector<tooling::Replacement> rewritePlan(const FunctionPlan &Plan,
                                              ASTContext &Ctx) {
  return PlanRewriter(Plan, Ctx).run();
}

} // namespace awaitify::detail
