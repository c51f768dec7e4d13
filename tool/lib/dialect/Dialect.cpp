//===- Dialect.cpp - The dialects there are -------------------------------===//
#include "dialect/Dialect.h"
#include "dialect/asio/AsioDialect.h"
#include "dialect/generic/GenericDialect.h"
#include "rewrite/Rewriter.h"

namespace awaitify::detail {

Dialect::~Dialect() = default;

std::string coroutineCall(llvm::StringRef Name,
                          llvm::ArrayRef<CoroutineArg> Args) {
  std::string Out = Name.str() + "(";
  for (const CoroutineArg &A : Args)
    Out += (&A == Args.begin() ? "" : ", ") + A.spelling();
  return Out + ")";
}

std::string Dialect::startCoroutine(const PlanRewriter &R,
                                    llvm::ArrayRef<CoroutineArg> Args) const {
  return coroutineCall(R.plan().Coroutine, Args) + ";";
}

llvm::ArrayRef<const Dialect *> dialects() {
  static const GenericDialect Generic;
  static const AsioDialect Asio;
  static const Dialect *const All[] = {&Generic, &Asio};
  return All;
}

const Dialect *findDialect(llvm::StringRef Name) {
  for (const Dialect *D : dialects())
    if (D->name() == Name)
      return D;
  return nullptr;
}

std::string dialectNames() {
  std::string Out;
  llvm::ArrayRef<const Dialect *> All = dialects();
  for (size_t I = 0; I < All.size(); ++I)
    Out += (I == 0 ? "'" : I + 1 == All.size() ? " or '" : ", '") +
           All[I]->name().str() + "'";
  return Out;
}

} // namespace awaitify::detail
