//===- Verify.cpp - Only rewrites that compile ----------------------------===//
#include "awaitify/Driver.h"

namespace awaitify {

void keepOnly(Report &R, const std::vector<bool> &Keep) {
  EditSet Set;
  for (size_t I = 0; I < R.Chains.size(); ++I)
    if (Keep[I] && R.Chains[I].Dropped.empty())
      Set.addChain(R.Chains[I].C.Edits);
  R.Edits = std::move(Set);
}

void verifyTranslationUnit(Report &R, std::vector<bool> &Keep,
                           llvm::ArrayRef<std::string> Inputs,
                           VerifyFn Verify) {
  auto Touches = [&](const Chain &C) {
    return llvm::any_of(C.Edits, [&](const clang::tooling::Replacement &E) {
      return llvm::is_contained(Inputs, E.getFilePath());
    });
  };
  std::vector<size_t> Involved;
  for (size_t I = 0; I < R.Chains.size(); ++I)
    if (Keep[I] && R.Chains[I].Dropped.empty() && Touches(R.Chains[I].C))
      Involved.push_back(I);
  if (Involved.empty())
    return;
  auto Check = [&] {
    keepOnly(R, Keep);
    return Verify(R.contentsWith(R.Edits));
  };
  if (!Check())
    return;
  // Keep the chains that compile on their own, one at a time.
  for (size_t I : Involved)
    Keep[I] = false;
  for (size_t I : Involved) {
    Keep[I] = true;
    if (std::optional<std::string> Error = Check()) {
      Keep[I] = false;
      R.Chains[I].Dropped = "the rewritten code does not compile: " + *Error;
    }
  }
  keepOnly(R, Keep);
}

} // namespace awaitify
