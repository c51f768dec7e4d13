//===- Messages.cpp -------------------------------------------------------===//
#include "awaitify/Messages.h"

namespace awaitify {

std::string chainMessage(const Chain &C) {
  return "callback chain of " + std::to_string(C.Steps.size()) +
         (C.Steps.size() == 1 ? " call" : " calls") + " (depth " +
         std::to_string(C.Depth) + ") in '" + C.Function +
         "' can be rewritten with co_await (confidence: " +
         C.Conf.name().str() + ")";
}

std::string stepMessage(unsigned N, const ChainStep &S) {
  return "step " + std::to_string(N) + ": '" + S.Callee +
         "' completes into this callback";
}

std::vector<Note> chainNotes(const Chain &C, llvm::StringRef Dropped) {
  std::vector<Note> Out;
  unsigned N = 0;
  for (const ChainStep &S : C.Steps)
    Out.push_back({S.Where, stepMessage(++N, S)});
  for (const std::string &A : C.Assumptions)
    Out.push_back({C.Where, "assumes: " + A});
  for (const std::string &R : C.Renames)
    Out.push_back({C.Where, R});
  if (!Dropped.empty())
    Out.push_back({C.Where, "not rewritten: " + Dropped.str()});
  return Out;
}

std::string leftAloneMessage(const LeftAlone &S) {
  std::string Out = "left alone";
  if (!S.Function.empty())
    Out += " in '" + S.Function + "'";
  return Out + ": " + S.Reason;
}

} // namespace awaitify
