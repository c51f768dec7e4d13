//===- Delegate.cpp - A function that keeps its signature ----------------===//
//
// A function other translation units see keeps its signature: they may call
// it as `return start();` in a void function, store `&Session::start`, or
// declare it themselves. Its body then starts a coroutine of its own that
// the chain moves into, with the parameters the chain reads:
//
//   void Session::start(int id) { start_coro(id); }
//
//   awaitify::detached Session::start_coro(int id) { ...the chain... }
//
// A method's coroutine is a private member of its class (declared at the end
// of the class, defined after the method, or in the class when the method
// is); a free function's has internal linkage and goes before it, above its
// comment.
//
//===----------------------------------------------------------------------===//
#include "awaitify/Edits.h"
#include "dialect/Dialect.h"
#include "rewrite/Rewriter.h"
#include "support/Walk.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/QualTypeNames.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace awaitify::detail {

llvm::SmallVector<const ParmVarDecl *, 4>
PlanRewriter::paramsRead(unsigned From) const {
  llvm::SmallPtrSet<const ValueDecl *, 4> Read;
  walk(body(), [&](const Stmt &S) {
    if (const auto *E = dyn_cast<DeclRefExpr>(&S))
      if (isa<ParmVarDecl>(E->getDecl()) && offset(E->getLocation()) >= From)
        Read.insert(E->getDecl());
    return true;
  });
  llvm::SmallVector<const ParmVarDecl *, 4> Out;
  for (const ParmVarDecl *P : Plan.Function->parameters())
    if (P->getIdentifier() && Read.count(P))
      Out.push_back(P);
  return Out;
}

bool PlanRewriter::byPointer(const ParmVarDecl *P) const {
  return !Plan.Coroutine.empty() && Plan.D->usesRuntime() &&
         P->getDeclContext() == Plan.Function &&
         P->getType()->isReferenceType() && !takenByValue(P);
}

void PlanRewriter::collectPointerEdits() {
  // In the coroutine, a reference parameter is a pointer: `p.f()` reads
  // `p->f()`, any other use `*p`; the captures of lambdas stay as written.
  llvm::SmallPtrSet<const Stmt *, 8> Captures, Bases;
  walk(body(), [&](const Stmt &S) {
    // (An init-capture's initializer is code: `t = tally + 7` reads it.)
    if (const auto *L = dyn_cast<LambdaExpr>(&S)) {
      auto Init = L->capture_init_begin();
      for (const LambdaCapture &C : L->captures()) {
        const Expr *E = *Init++;
        if (E && !L->isInitCapture(&C))
          walk(E, [&](const Stmt &N) { return Captures.insert(&N), true; });
      }
    }
    if (const auto *M = dyn_cast<MemberExpr>(&S); M && !M->isArrow())
      if (const auto *R = dyn_cast<DeclRefExpr>(M->getBase()->IgnoreImplicit());
          R && isa<ParmVarDecl>(R->getDecl()) &&
          byPointer(cast<ParmVarDecl>(R->getDecl())) &&
          !M->getOperatorLoc().isMacroID()) {
        Bases.insert(R);
        unsigned Dot = offset(M->getOperatorLoc());
        Edits.push_back({Dot, Dot + 1, [] { return std::string("->"); }});
      }
    const auto *R = dyn_cast<DeclRefExpr>(&S);
    const auto *P = R ? dyn_cast<ParmVarDecl>(R->getDecl()) : nullptr;
    if (P && byPointer(P) && !Captures.count(R) && !Bases.count(R) &&
        !R->getLocation().isMacroID()) {
      unsigned B = offset(R->getLocation());
      std::string Name = P->getName().str();
      Edits.push_back({B, tokenEnd(R->getLocation()),
                       [Name] { return "*" + Name; }});
    }
    return true;
  });
}

bool PlanRewriter::takenByValue(const ParmVarDecl *P) const {
  return llvm::any_of(Plan.ByValueParams, [&](const ParmVarDecl *B) {
    return B->getFunctionScopeIndex() == P->getFunctionScopeIndex();
  });
}

/// The parameter as the coroutine declares it: as written, without a
/// default argument; by value when the chain copied it.
static std::string coroutineParam(const PlanRewriter &R, const ParmVarDecl *P) {
  if (R.takenByValue(P))
    return R.writtenType(P).Arg + " " + P->getName().str();
  if (R.byPointer(P))
    return R.writtenType(P).Decl + " *" + P->getName().str();
  unsigned B = R.offset(P->getBeginLoc());
  unsigned E = R.tokenEnd(P->getLocation());
  if (const TypeSourceInfo *TSI = P->getTypeSourceInfo())
    E = std::max(E, R.tokenEnd(TSI->getTypeLoc().getEndLoc()));
  return R.code().slice(B, E).trim().str();
}

/// What the function passes for \p P: a parameter it owns by value is moved
/// into the coroutine.
static CoroutineArg coroutineArg(const PlanRewriter &R, const ParmVarDecl *P) {
  QualType T = P->getType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  bool Copied = R.takenByValue(P) || T->isReferenceType() || !RD ||
                !RD->hasDefinition() ||
                T.isTriviallyCopyableType(P->getASTContext());
  return {P->getName().str(), !Copied, R.byPointer(P)};
}

void PlanRewriter::collectBesideEdits(const BesideOp &B) {
  unsigned Begin = offset(B.S.Statement->getBeginLoc());
  unsigned End = statementEnd(B.S.Statement);
  Edits.push_back({Begin, End, [this, &B] {
                     // Copies, as the callback's captures were (the
                     // function's variables stay as they are), and what
                     // its init-captures were initialized with.
                     std::vector<CoroutineArg> Args;
                     for (const BesideOp::Param &P : B.Params)
                       Args.push_back(
                           {P.Init ? exprText(P.Init) : finalName(P.V)});
                     return Plan.D->spawnBeside(*this, B, Args);
                   }});
}

std::string PlanRewriter::besideParam(const BesideOp::Param &P) const {
  const VarDecl *V = P.V;
  std::string Type;
  const TypeSourceInfo *TSI = V->getTypeSourceInfo();
  if (const auto *Parm = dyn_cast<ParmVarDecl>(V)) {
    Type = writtenType(Parm).Arg;
  } else if (TSI && !V->getType()->getContainedDeducedType() &&
             !V->getBeginLoc().isMacroID() &&
             SM.getFileID(SM.getFileLoc(V->getBeginLoc())) == File) {
    // As the local's declaration writes it, without `const` and `&`.
    SourceRange R = TSI->getTypeLoc().getSourceRange();
    llvm::StringRef T = Code.slice(offset(R.getBegin()), tokenEnd(R.getEnd()))
                            .trim();
    T = T.rtrim("&").rtrim();
    if (T.consume_front("const "))
      T = T.ltrim();
    if (T.consume_back(" const"))
      T = T.rtrim();
    Type = T.str();
  } else {
    // Deduced (`auto`, an init-capture): named in full, as the library
    // that spelled it may not have.
    PrintingPolicy Policy(LangOpts);
    Policy.SuppressUnwrittenScope = true;
    Type = TypeName::getFullyQualifiedName(
        V->getType().getNonReferenceType().getUnqualifiedType(),
        V->getASTContext(), Policy);
  }
  return (P.Const ? "const " : "") + Type + " " + finalName(V);
}

/// `const`, `&`: what follows a method's parameter list in its type.
static std::string methodQualifiers(const CXXMethodDecl *M) {
  std::string Out;
  if (M->getMethodQualifiers().hasConst())
    Out += " const";
  if (M->getMethodQualifiers().hasVolatile())
    Out += " volatile";
  if (M->getRefQualifier() == RQ_LValue)
    Out += " &";
  else if (M->getRefQualifier() == RQ_RValue)
    Out += " &&";
  return Out;
}

void PlanRewriter::delegate(std::string Inner, unsigned From,
                            std::vector<tooling::Replacement> &Out) {
  const FunctionDecl *F = Plan.Function;
  std::vector<std::string> Params;
  std::vector<CoroutineArg> Args;
  for (const ParmVarDecl *P : paramsRead(From)) {
    Params.push_back(coroutineParam(*this, P));
    Args.push_back(coroutineArg(*this, P));
  }
  // The body's lines are replaced, not the lines of its braces: the
  // signature stays exactly as written. Statements the dialect keeps in
  // the function (up to \p From) stay too.
  unsigned BodyBegin = offset(body()->getLBracLoc()) + 1;
  unsigned BodyEnd = offset(body()->getRBracLoc());
  std::string Start = Plan.D->startCoroutine(*this, Args);
  size_t FirstLine = Code.find('\n', BodyBegin);
  size_t LastLine = Code.rfind('\n', BodyEnd);
  if (From != BodyBegin) {
    Out.emplace_back(Path, From, BodyEnd - From, Start + "\n");
    Inner = "\n" + llvm::StringRef(Inner).ltrim().str();
  } else if (FirstLine < LastLine &&
             Code.slice(BodyBegin, FirstLine).trim().empty() &&
             Code.slice(LastLine, BodyEnd).trim().empty()) {
    Out.emplace_back(Path, FirstLine + 1, LastLine - FirstLine, Start + "\n");
  } else {
    Out.emplace_back(Path, BodyBegin, BodyEnd - BodyBegin, "\n" + Start + "\n");
  }

  std::string Type = Plan.D->coroutineType(*this);
  // The coroutines of the operations beside the chain (which the chain's
  // may spawn: they come first), then the chain's.
  struct Coroutine {
    std::string Declarator;
    std::string Body;
  };
  std::vector<Coroutine> Coroutines;
  for (const BesideOp &B : Plan.Beside) {
    std::vector<std::string> Own;
    for (const BesideOp::Param &P : B.Params)
      Own.push_back(besideParam(P));
    Coroutines.push_back({B.Coroutine + "(" + llvm::join(Own, ", ") + ")",
                          " {\n" + renderAwaitStep(B.S) + "\n}"});
  }
  Coroutines.push_back({Plan.Coroutine + "(" + llvm::join(Params, ", ") + ")",
                        " {" + Inner + "\n}"});
  // The qualifier the definition is written with: `Session::`, `ns::`.
  std::string Qualifier;
  if (F->getQualifierLoc())
    Qualifier = Code.slice(offset(F->getQualifierLoc().getBeginLoc()),
                           offset(F->getLocation()))
                    .trim()
                    .str();
  auto Join = [&](llvm::function_ref<std::string(const Coroutine &)> Each,
                  llvm::StringRef Between) {
    std::string Text;
    for (const Coroutine &C : Coroutines)
      Text += (Text.empty() ? "" : Between.str()) + Each(C);
    return Text;
  };

  if (const auto *M = dyn_cast<CXXMethodDecl>(F)) {
    for (Coroutine &C : Coroutines)
      C.Declarator += methodQualifiers(M);
    std::string Member = (M->isStatic() ? "static " : "") + Type + " ";
    if (!F->isOutOfLine()) {
      PendingMember = {M, Join([&](const Coroutine &C) {
                         return Member + C.Declarator + C.Body;
                       }, "\n\n")};
      return;
    }
    PendingMember = {M->getCanonicalDecl(),
                     Join([&](const Coroutine &C) {
                       return Member + C.Declarator + ";";
                     }, "\n")};
    unsigned After = offset(body()->getRBracLoc()) + 1;
    Out.emplace_back(Path, After, 0,
                     "\n\n" + Join([&](const Coroutine &C) {
                       return Type + " " + Qualifier + C.Declarator + C.Body;
                     }, "\n\n"));
    return;
  }

  // A free function: its coroutine goes above it and its comment, in the
  // namespace the definition names, with internal linkage -- unless the
  // function is defined in a header, where the coroutine is inline.
  bool InHeader = !SM.isWrittenInMainFile(SM.getFileLoc(F->getLocation()));
  // (A function of an anonymous namespace has its coroutine there too.)
  std::string Linkage = F->getStorageClass() == SC_Static ? "static "
                        : F->isExternallyVisible() && InHeader ? "inline "
                                                               : "";
  std::string Definition = Join([&](const Coroutine &C) {
    return Linkage + Type + " " + C.Declarator + C.Body;
  }, "\n\n");
  if (F->getStorageClass() != SC_Static && F->isExternallyVisible() &&
      !InHeader)
    Definition = "namespace {\n" + Definition + "\n} // namespace";
  llvm::StringRef Ns = llvm::StringRef(Qualifier).trim(':');
  if (!Ns.empty())
    Definition =
        ("namespace " + Ns + " {\n" + Definition + "\n} // namespace " + Ns)
            .str();
  // Inserted before the line break that ends the line above, so that the
  // function's own lines are not among those the insertion touches (and
  // formatting leaves them as written) -- unless the lines above are
  // preprocessor lines (#include), after which a new #include goes at that
  // same point.
  unsigned At = declarationStart(F);
  size_t LineEnd = Code.rfind('\n', At);
  llvm::StringRef Above =
      LineEnd == llvm::StringRef::npos ? "" : Code.take_front(LineEnd).rtrim();
  llvm::StringRef LastAbove = Above.substr(Above.rfind('\n') + 1).ltrim();
  if (LineEnd == llvm::StringRef::npos || LastAbove.starts_with("#"))
    Out.emplace_back(Path, LineEnd == llvm::StringRef::npos ? 0 : LineEnd + 1,
                     0, Definition + "\n\n");
  else // in a CRLF file, before the "\r" (the line breaks become CRLF)
    Out.emplace_back(Path,
                     lineEndingOf(Code) == "\r\n" && LineEnd > 0 &&
                             Code[LineEnd - 1] == '\r'
                         ? LineEnd - 1
                         : LineEnd,
                     0, "\n" + Definition + "\n");
}

/// A class's members in order, each with the access of its section and the
/// label that opened it; what the rewrite removes is left out.
namespace {
struct Member {
  const Decl *D;
  AccessSpecifier Access;
  const AccessSpecDecl *Label;
};
} // namespace

void PlanRewriter::addPendingMember(std::vector<tooling::Replacement> &Out) {
  if (!PendingMember.Method)
    return;
  const CXXMethodDecl *Own = PendingMember.Method;
  const CXXRecordDecl *RD = Own->getParent();
  auto Gone = [&](const Decl *D) {
    SourceLocation L = SM.getFileLoc(D->getBeginLoc());
    unsigned Off = SM.getFileOffset(L);
    return llvm::any_of(Removals[SM.getFileID(L)],
                        [&](std::pair<unsigned, unsigned> R) {
                          return R.first <= Off && Off < R.second;
                        });
  };
  std::vector<Member> Members;
  AccessSpecifier Access = RD->isClass() ? AS_private : AS_public;
  const AccessSpecDecl *Label = nullptr;
  size_t Index = 0;
  for (const Decl *D : RD->decls()) {
    if (D->isImplicit() || Gone(D))
      continue;
    if (const auto *A = dyn_cast<AccessSpecDecl>(D)) {
      Access = A->getAccess();
      Label = A;
      continue;
    }
    if (D == Own || D == Own->getDescribedFunctionTemplate())
      Index = Members.size();
    Members.push_back({D, Access, Label});
  }
  // Each coroutine is declared at a place of its own, next to its method,
  // so that the edits of several methods (from several translation units)
  // never insert at the same point: in the method's section when that is
  // private; at the start of the private section that follows, or at the
  // end of the one before, when the method ends or starts its section;
  // else right after the method, in a private section of its own.
  const Member &M = Members[Index];
  auto End = [&](const Decl *D) { return endWithSemi(D->getEndLoc()); };
  // A definition is set apart by blank lines; a declaration joins its
  // neighbours.
  bool Defines = llvm::StringRef(PendingMember.Text).contains('\n');
  std::string Text = PendingMember.Text + (Defines ? "\n" : "");
  SourceLocation At = SM.getFileLoc(M.D->getBeginLoc());
  auto Insert = [&](unsigned Offset, std::string T) {
    Out.emplace_back(pathOf(SM.getFileID(At)), Offset, 0, std::move(T));
  };
  bool Last =
      Index + 1 == Members.size() || Members[Index + 1].Label != M.Label;
  bool First = Index == 0 || Members[Index - 1].Label != M.Label;
  if (M.Access == AS_private)
    return Insert(End(M.D), (Defines ? "\n\n" : "\n") + Text);
  if (Last && Index + 1 < Members.size() &&
      Members[Index + 1].Access == AS_private)
    return Insert(tokenEnd(Members[Index + 1].Label->getColonLoc()),
                  "\n" + Text);
  if (First && M.Label && Index > 0 && Members[Index - 1].Access == AS_private)
    return Insert(End(Members[Index - 1].D), "\n" + Text);
  // The section goes on after the coroutine only if more of it follows.
  std::string Back = Last ? ""
                     : M.Access == AS_public ? "\n\npublic:"
                                             : "\n\nprotected:";
  Insert(End(M.D), "\n\nprivate:\n" + Text + Back);
}

} // namespace awaitify::detail
