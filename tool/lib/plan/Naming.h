//===- Naming.h - Names that flattening introduces --------------*- C++ -*-===//
//
// Internal. Flattening moves declarations into an enclosing block: a
// continuation's parameters and init-captures, the top-level locals of its
// body, the parameters of an inlined handler. A Namer decides, for one plan,
// which of them are renamed (`ec` -> `ec2`) and which are the same variable
// as one already there; the dialect names what its awaits introduce.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_PLAN_NAMING_H
#define AWAITIFY_PLAN_NAMING_H

#include "plan/Plan.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace awaitify::detail {

/// Every name declared or used in the code of one function, and the scope
/// each declaration is visible in.
class NameIndex {
public:
  struct Entry {
    const clang::ValueDecl *D;
    clang::SourceRange Scope;
  };
  llvm::StringMap<std::vector<Entry>> Decls;
  llvm::StringMap<
      std::vector<std::pair<const clang::ValueDecl *, clang::SourceLocation>>>
      Uses;

  /// Records the names declared and used in \p Code (implicit code left out).
  void add(const clang::Stmt *Code);
  void addFunctionParams(const clang::FunctionDecl *F,
                         clang::SourceRange BodyRange);
  bool isTaken(llvm::StringRef Name) const {
    return Decls.count(Name) || Uses.count(Name);
  }
};

/// Names one plan: fills Plan.Renames, Plan.Aliases and each step's
/// AwaitName. Created for one plan and used once.
class Namer {
public:
  Namer(FunctionPlan &Plan, clang::ASTContext &Ctx);
  void run();

  /// For dialects, while a step is being named:
  /// whether \p Name is declared or used anywhere in the code;
  bool isTaken(llvm::StringRef Name) const;
  /// Base2, Base3, ...: the first that is not taken (and never given out).
  std::string fresh(llvm::StringRef Base);
  /// Base itself if it is neither taken nor given out, else fresh(Base).
  std::string unique(llvm::StringRef Base);
  /// The name \p D has in the rewritten code.
  std::string finalName(const clang::ValueDecl *D) const;
  /// A declaration marked reusable (markReusable), named \p Name in the
  /// rewritten code and of type \p T, that the current step's block sees.
  const clang::ValueDecl *visibleReusable(llvm::StringRef Name,
                                          clang::QualType T) const;
  /// Lets later awaits report into \p D instead of declaring their own.
  void markReusable(const clang::ValueDecl *D) { Reusable.insert(D); }
  FunctionPlan &plan() { return Plan; }

private:
  void nameStep(Step &S, unsigned Block, clang::SourceLocation Anchor);
  /// The declarations step \p S moves into its block.
  llvm::SmallVector<const clang::ValueDecl *, 8> hoisted(Step &S);
  bool clashes(const Step &S, const clang::ValueDecl *D,
               clang::SourceLocation At) const;
  unsigned newBlock(int Parent) {
    BlockParent.push_back(Parent);
    return BlockParent.size() - 1;
  }
  /// Whether code in block \p Inner sees declarations of block \p Outer.
  bool sees(unsigned Inner, unsigned Outer) const;

  FunctionPlan &Plan;
  clang::ASTContext &Ctx;
  const clang::SourceManager &SM;
  NameIndex Names;
  llvm::StringSet<> Fresh;
  /// The blocks of the flattened code: each step's declarations land in a
  /// block, which sees the declarations of the blocks around it.
  std::vector<int> BlockParent;
  llvm::DenseMap<const clang::ValueDecl *, unsigned> HoistedBlock;
  llvm::SmallPtrSet<const clang::ValueDecl *, 8> Reusable;
  unsigned Block = 0; ///< the block of the step being named
};

/// Whether class \p RD or one of its bases has a member named \p Name.
bool hasMember(const clang::CXXRecordDecl *RD, clang::DeclarationName Name);

/// The name of the coroutine that function \p F delegates to: `start_coro`
/// (`startCoro` for a camelCase name), with a number when a member of the
/// class or its bases (for a method) or any name in the translation unit (for
/// a function of internal linkage) has it already.
std::string coroutineName(const clang::FunctionDecl *F, clang::ASTContext &Ctx);

/// The name of the coroutine in which operation \p S of function \p F runs
/// beside its chain: the operation's object and verb (`watchdog_wait` for
/// `watchdog_.async_wait`, `watchdogWait` in a camelCase class), else the
/// function's name and the verb; numbered as coroutineName's, and never one
/// of \p Taken.
std::string besideName(const clang::FunctionDecl *F, const Step &S,
                       llvm::ArrayRef<std::string> Taken,
                       clang::ASTContext &Ctx);

} // namespace awaitify::detail

#endif
