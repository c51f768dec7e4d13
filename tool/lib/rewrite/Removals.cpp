//===- Removals.cpp - What a rewrite deletes ------------------------------===//
//
// Handlers inlined for good go away with their comments, access sections
// left empty by them too, and the blank lines around, so that the class
// reads as if written without them.
//
//===----------------------------------------------------------------------===//
#include "rewrite/Rewriter.h"
#include "support/Ast.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RawCommentList.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace awaitify::detail {

/// Widens the deletion [B, E) of \p Text to whole lines when what it deletes
/// is alone on its lines, so that no blank line is left behind.
void wholeLines(llvm::StringRef Text, unsigned &B, unsigned &E) {
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

unsigned PlanRewriter::declarationStart(const Decl *D) const {
  const ASTContext &Ctx = D->getASTContext();
  SourceLocation BeginLoc = SM.getFileLoc(D->getSourceRange().getBegin());
  if (const RawComment *C = Ctx.getRawCommentForDeclNoCache(D))
    BeginLoc = SM.getFileLoc(C->getBeginLoc());
  llvm::StringRef Text = SM.getBufferData(SM.getFileID(BeginLoc));
  unsigned B = SM.getFileOffset(BeginLoc);
  // `//` lines right above the declaration (no blank line between) are its
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
  return B;
}

void PlanRewriter::removeHandler(const FunctionDecl *H) {
  for (const FunctionDecl *D : H->redecls()) {
    FileID F = SM.getFileID(SM.getFileLoc(D->getSourceRange().getBegin()));
    llvm::StringRef Text = SM.getBufferData(F);
    unsigned B = declarationStart(D);
    unsigned E = D->doesThisDeclarationHaveABody()
                     ? tokenEnd(D->getSourceRange().getEnd())
                     : endWithSemi(D->getSourceRange().getEnd());
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

} // namespace awaitify::detail
