//===- Types.cpp ----------------------------------------------------------===//
#include "analysis/Types.h"
#include "support/Ast.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;

namespace awaitify::detail {

/// Whether \p T, a template argument of a standard class, runs none of the
/// program's code when that class is destroyed: an allocator or deleter of
/// the program's own would (its deallocate or call operator).
static bool destroysQuietly(QualType T) {
  const CXXRecordDecl *RD = T.getCanonicalType()->getAsCXXRecordDecl();
  const CXXRecordDecl *Def = RD ? RD->getDefinition() : nullptr;
  if (!Def)
    return true;
  // The standard's comparators, hashes and traits are called by no
  // destructor; its allocators and deleters do nothing but free memory.
  if (Def->isInStdNamespace())
    return true;
  // An allocator deallocates; a deleter is called.
  bool CalledOnDestruction =
      llvm::any_of(Def->methods(), [](const CXXMethodDecl *M) {
        return M->getOverloadedOperator() == OO_Call ||
               (M->getIdentifier() && M->getName() == "deallocate");
      });
  return !CalledOnDestruction;
}

/// A class of the program's own is a value when destroying it only destroys
/// its members and bases, and they are values.
static bool isPlainClass(const CXXRecordDecl *RD) {
  const CXXRecordDecl *Def = RD->getDefinition();
  if (!Def || Def->isInStdNamespace() || Def->isUnion() ||
      Def->isPolymorphic() ||
      (Def->getDestructor() && Def->getDestructor()->isUserProvided()))
    return false;
  for (const CXXBaseSpecifier &B : Def->bases())
    if (!isPlainType(B.getType()))
      return false;
  for (const FieldDecl *F : Def->fields())
    if (!isPlainType(F->getType()))
      return false;
  return true;
}

bool isPlainType(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (T->isDependentType())
    return false;
  if (T.isDestructedType() == QualType::DK_none)
    return true;
  if (const auto *A = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    return isPlainType(A->getElementType());
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  static const llvm::StringSet<> Values = {
      "std::basic_string", "std::vector",        "std::deque",
      "std::list",         "std::forward_list",  "std::map",
      "std::multimap",     "std::set",           "std::multiset",
      "std::unordered_map", "std::unordered_multimap", "std::unordered_set",
      "std::unordered_multiset", "std::array",   "std::optional",
      "std::pair",         "std::tuple",         "std::variant",
      // Not std::shared_ptr: it may hold a deleter of any kind, which its
      // type does not show (a unique_ptr's deleter is in its type).
      "std::weak_ptr",     "std::allocator",     "std::unique_ptr",
      "std::default_delete",
      // Streams over a buffer they do not own: destroying one leaves the
      // buffer as it is (no flush).
      "std::basic_istream", "std::basic_ostream", "std::basic_iostream",
      "std::char_traits"};
  std::string Template = classTemplateName(T);
  if (Template == "std::weak_ptr" || Template == "boost::weak_ptr")
    return true; // letting go of a weak_ptr never destroys its target
  if (!Values.contains(Template))
    return isPlainClass(RD);
  // A container of values is a value when what it holds is, and when what
  // its destructor calls is the standard's own: the default deleter, the
  // standard allocator.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &A : Spec->getTemplateArgs().asArray()) {
      if (A.getKind() == TemplateArgument::Type &&
          (!isPlainType(A.getAsType()) || !destroysQuietly(A.getAsType())))
        return false;
      if (A.getKind() == TemplateArgument::Pack)
        for (const TemplateArgument &P : A.pack_elements())
          if (P.getKind() == TemplateArgument::Type &&
              !isPlainType(P.getAsType()))
            return false;
    }
  return true;
}

bool isOwningHandle(QualType T) {
  static const llvm::StringSet<> Handles = {
      "std::shared_ptr", "std::unique_ptr", "std::function",
      "boost::shared_ptr", "boost::function"};
  return Handles.contains(classTemplateName(T));
}

bool isView(QualType T) {
  std::string Name = classTemplateName(T);
  return Name == "std::basic_string_view" || Name == "std::span";
}

bool isLock(QualType T) {
  static const llvm::StringSet<> Locks = {
      "std::lock_guard", "std::unique_lock", "std::scoped_lock",
      "std::shared_lock", "boost::lock_guard", "boost::unique_lock",
      "boost::shared_lock", "boost::interprocess::scoped_lock"};
  return Locks.contains(classTemplateName(T));
}

} // namespace awaitify::detail
