// The dialects there are, as rule files name them, and what each knows of
// its library (by qualified name, never by how a call is spelled).
#include "awaitify/Chain.h"
#include "awaitify/Rules.h"
#include "dialect/Dialect.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include <gtest/gtest.h>

using namespace awaitify;
using namespace awaitify::detail;

namespace {

TEST(Dialects, RuleFilesNameThemAndNothingElse) {
  ASSERT_NE(findDialect("generic"), nullptr);
  ASSERT_NE(findDialect("asio"), nullptr);
  EXPECT_EQ(findDialect("grpc"), nullptr);
  EXPECT_EQ(dialects().front(), findDialect("generic"));
  EXPECT_EQ(dialectNames(), "'generic' or 'asio'");
  RuleSet R;
  llvm::Error E = R.addText("apis:\n  - name: f\n    await: grpc\n", "r");
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E))
                .find("'await' must be 'generic' or 'asio', not 'grpc'"),
            std::string::npos);
}

TEST(Dialects, AsioOperationsAlwaysCompleteLater) {
  EXPECT_TRUE(findDialect("asio")->completesLater());
  EXPECT_FALSE(findDialect("generic")->completesLater());
  RuleSet R;
  ASSERT_FALSE(bool(R.addText("apis:\n  - name: op\n    await: asio\n", "r")));
  EXPECT_EQ(R.lookup("op")->Await, "asio");
  EXPECT_TRUE(R.lookup("op")->CompletesLater);
}

/// The findings (no edits) in \p Code, with \p Operation an Asio one, at
/// any confidence.
AnalysisResult analyzeAsio(const std::string &Code,
                           const std::string &Operation) {
  auto AST = clang::tooling::buildASTFromCodeWithArgs(
      Code, {"-std=c++20", "-resource-dir=" AWAITIFY_RESOURCE_DIR}, "input.cc");
  EXPECT_TRUE(AST);
  RuleSet Rules;
  llvm::cantFail(Rules.addText(
      "apis:\n  - name: " + Operation + "\n    await: asio\n", "t"));
  AnalysisOptions Opts;
  Opts.MinConfidence = Confidence::Risky;
  Opts.ComputeEdits = false;
  return analyzeTranslationUnit(AST->getASTContext(), Rules, Opts);
}

/// The analysis of an Asio chain whose handlers take \p ErrorType first.
AnalysisResult asioChain(const std::string &ErrorType) {
  std::string Code = R"cpp(
#include <functional>
#include <system_error>
namespace app { struct error_code { int value; }; }
namespace asio {
struct socket {
  template <class H> void async_read(int n, H h);
  struct executor {};
  executor get_executor();
};
}
struct conn {
  asio::socket s;
  void start() {
    s.async_read(1, [this](ERROR ec, int n) {
      (void)ec;
      s.async_read(n, [](ERROR ec2, int) { (void)ec2; });
    });
  }
};
)cpp";
  Code.replace(Code.find("ERROR"), 5, ErrorType);
  Code.replace(Code.find("ERROR"), 5, ErrorType);
  return analyzeAsio(Code, "asio::socket::async_read");
}

TEST(Dialects, AnErrorCodeIsTheStandardsOrBoostsNotAnyRecordOfThatName) {
  AnalysisResult Std = asioChain("std::error_code");
  EXPECT_EQ(Std.Chains.size(), 1u);
  AnalysisResult Own = asioChain("app::error_code");
  EXPECT_TRUE(Own.Chains.empty());
  bool Said = false;
  for (const LeftAlone &S : Own.Skipped)
    Said |= S.Reason.find("does not take an error code first") !=
            std::string::npos;
  EXPECT_TRUE(Said);
}

/// The analysis of an Asio step loop that \p Start starts, after a guard
/// timer's wait (`guard_`, whose callback captures `this` and `id`).
AnalysisResult asioGuarded(const std::string &Start) {
  std::string Code = R"cpp(
#include <system_error>
namespace asio {
struct timer {
  template <class H> void async_wait(H h);
  struct executor {};
  executor get_executor();
  void cancel();
};
}
struct ticker {
  asio::timer t, guard_;
  int fired = 0;
  void start(int id) {
    guard_.async_wait([this, id](std::error_code ec) { fired = id + !ec; });
    START
  }
  void step(int i) {
    t.async_wait([this, i](std::error_code ec) {
      if (!ec)
        step(i + 1);
    });
  }
};
)cpp";
  Code.replace(Code.find("START"), 5, Start);
  return analyzeAsio(Code, "asio::timer::async_wait");
}

TEST(Dialects, AnAsioOperationStartedBeforeItsChainRunsBesideIt) {
  AnalysisResult R = asioGuarded("step(0);");
  ASSERT_EQ(R.Chains.size(), 1u);
  const Chain &C = R.Chains.front();
  // The guard's wait is the chain's first step, in a coroutine of its own.
  ASSERT_GE(C.Steps.size(), 2u);
  EXPECT_EQ(C.Steps[0].Callee, "asio::timer::async_wait");
  EXPECT_LT(C.Steps[0].Where.Line, C.Steps[1].Where.Line);
  bool Named = false;
  for (const std::string &A : C.Assumptions)
    Named |= A.find("runs in a coroutine of its own ('guard_wait')") !=
             std::string::npos;
  EXPECT_TRUE(Named);
  for (const LeftAlone &S : R.Skipped)
    EXPECT_EQ(S.Reason.find("not in tail position"), std::string::npos)
        << S.Reason;
}

TEST(Dialects, AnOperationWhoseObjectIsNamedAfterTheCallStaysACallback) {
  // Started later (outside a handler), the wait would miss the cancel.
  AnalysisResult R = asioGuarded("guard_.cancel();\n    step(0);");
  ASSERT_EQ(R.Chains.size(), 1u);
  EXPECT_EQ(R.Chains.front().Steps.front().Callee, "ticker::step");
  bool Said = false;
  for (const LeftAlone &S : R.Skipped)
    Said |= S.Reason.find("cannot run beside the chain in a coroutine of its "
                          "own: 'guard_', which the call reads, is named "
                          "again after it") != std::string::npos;
  EXPECT_TRUE(Said);
}

} // namespace
