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
  auto AST = clang::tooling::buildASTFromCodeWithArgs(
      Code, {"-std=c++20", "-resource-dir=" AWAITIFY_RESOURCE_DIR}, "input.cc");
  EXPECT_TRUE(AST);
  RuleSet Rules;
  llvm::cantFail(Rules.addText(
      "apis:\n  - name: asio::socket::async_read\n    await: asio\n", "t"));
  AnalysisOptions Opts;
  Opts.MinConfidence = Confidence::Risky;
  Opts.ComputeEdits = false;
  return analyzeTranslationUnit(AST->getASTContext(), Rules, Opts);
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

} // namespace
