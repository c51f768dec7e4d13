// Name patterns in rule files: `*` is exactly one component, `**` zero or
// more, and an exact name always wins over a pattern (docs/rules.md).
#include "awaitify/Rules.h"
#include <gtest/gtest.h>

using namespace awaitify;

namespace {

std::string errorOf(llvm::Error E) {
  return E ? llvm::toString(std::move(E)) : std::string();
}

TEST(RulePatterns, AStarMatchesExactlyOneComponent) {
  EXPECT_TRUE(matchesNamePattern("*::Stub::async::*",
                                 "Greeter::Stub::async::SayHello"));
  EXPECT_FALSE(matchesNamePattern(
      "*::Stub::async::*", "helloworld::Greeter::Stub::async::SayHello"));
  EXPECT_FALSE(
      matchesNamePattern("*::Stub::async::*", "Stub::async::SayHello"));
  EXPECT_FALSE(matchesNamePattern("*::Stub::async::*", "Greeter::Stub::async"));
}

TEST(RulePatterns, ADoubleStarMatchesZeroOrMoreComponents) {
  const char *P = "**::*::Stub::async::*";
  EXPECT_TRUE(matchesNamePattern(P, "Greeter::Stub::async::SayHello"));
  EXPECT_TRUE(
      matchesNamePattern(P, "helloworld::Greeter::Stub::async::SayHello"));
  EXPECT_TRUE(matchesNamePattern(P, "a::b::c::Greeter::Stub::async::SayHello"));
  EXPECT_FALSE(matchesNamePattern(P, "Stub::async::SayHello"));
  EXPECT_FALSE(matchesNamePattern(P, "Greeter::Stub::async::SayHello::x"));
  EXPECT_TRUE(matchesNamePattern("svc::**", "svc"));
  EXPECT_TRUE(matchesNamePattern("svc::**::get", "svc::a::b::get"));
  EXPECT_TRUE(matchesNamePattern("svc::**::get", "svc::get"));
}

TEST(RulePatterns, OtherComponentsMatchOnlyThemselves) {
  const char *P = "**::*::Stub::async::*";
  EXPECT_FALSE(matchesNamePattern(P, "pkg::Greeter::Stub::async_x::SayHello"));
  EXPECT_FALSE(matchesNamePattern(P, "pkg::Greeter::MyStub::async::SayHello"));
  // The interface the generated Stub derives from is another pattern.
  EXPECT_FALSE(matchesNamePattern(
      P, "pkg::Greeter::StubInterface::async_interface::SayHello"));
}

// The table of docs/rules.md, "Name patterns".
TEST(RulePatterns, TheExamplesOfTheDocsHold) {
  EXPECT_TRUE(matchesNamePattern("svc::*::fetch", "svc::Store::fetch"));
  EXPECT_FALSE(matchesNamePattern("svc::*::fetch", "svc::users::Store::fetch"));
  EXPECT_FALSE(matchesNamePattern("svc::*::fetch", "svc::fetch"));
  EXPECT_TRUE(matchesNamePattern("svc::**::fetch", "svc::fetch"));
  EXPECT_TRUE(matchesNamePattern("svc::**::fetch", "svc::users::Store::fetch"));
  EXPECT_FALSE(matchesNamePattern("svc::**::fetch", "other::svc::fetch"));
  const char *Grpc = "**::*::Stub::async::*";
  EXPECT_TRUE(matchesNamePattern(Grpc, "Greeter::Stub::async::SayHello"));
  EXPECT_TRUE(
      matchesNamePattern(Grpc, "shop::v1::Orders::Stub::async::FindUser"));
  EXPECT_FALSE(matchesNamePattern(Grpc, "Stub::async::SayHello"));
  EXPECT_FALSE(matchesNamePattern(Grpc, "Greeter::Stub::async_x::SayHello"));
}

TEST(RulePatterns, ARuleSetFindsANameThroughAPattern) {
  RuleSet R;
  ASSERT_EQ(errorOf(R.addText("apis:\n"
                              "  - name: \"**::*::Stub::async::*\"\n"
                              "    completes: later\n",
                              "grpc.yaml")),
            "");
  const ApiRule *Rule = R.lookup("shop::v1::Orders::Stub::async::FindUser");
  ASSERT_NE(Rule, nullptr);
  // Named as the call is (messages name the function), with its pattern.
  EXPECT_EQ(Rule->Name, "shop::v1::Orders::Stub::async::FindUser");
  EXPECT_EQ(Rule->Pattern, "**::*::Stub::async::*");
  EXPECT_EQ(Rule->Origin, "grpc.yaml");
  EXPECT_TRUE(Rule->CompletesLater);
  EXPECT_EQ(R.lookup("shop::v1::Orders::Stub::async::FindUser"), Rule);
  EXPECT_EQ(R.lookup("shop::v1::Orders::Stub::async::GetCart")->Name,
            "shop::v1::Orders::Stub::async::GetCart");
  EXPECT_EQ(R.lookup("shop::v1::Orders::Stub::FindUser"), nullptr);
  EXPECT_EQ(R.lookup(""), nullptr);
}

TEST(RulePatterns, AnExactNameWinsOverAnyPatternWhateverTheOrder) {
  RuleSet R;
  ASSERT_EQ(errorOf(R.addText("apis:\n"
                              "  - name: svc::Store::get\n"
                              "    callback: 1\n",
                              "a")),
            "");
  ASSERT_EQ(errorOf(R.addText("apis:\n  - name: svc::*::get\n", "b")), "");
  EXPECT_EQ(R.lookup("svc::Store::get")->Origin, "a");
  EXPECT_EQ(R.lookup("svc::Cache::get")->Origin, "b");
}

TEST(RulePatterns, ThePatternAddedLastIsTriedFirst) {
  RuleSet R;
  ASSERT_EQ(errorOf(R.addText("apis:\n  - name: svc::**\n", "first")), "");
  ASSERT_EQ(errorOf(R.addText("apis:\n  - name: svc::*::get\n", "second")), "");
  EXPECT_EQ(R.lookup("svc::Store::get")->Origin, "second");
  EXPECT_EQ(R.lookup("svc::Store::put")->Origin, "first");
  // Giving the first one again replaces it, and it is now the last added.
  ASSERT_EQ(errorOf(R.addText("apis:\n  - name: svc::**\n", "again")), "");
  EXPECT_EQ(R.size(), 2u);
  EXPECT_EQ(R.lookup("svc::Store::get")->Origin, "again");

  // A merged set tries them in the same order; so does a copy.
  RuleSet Merged;
  Merged.merge(R);
  EXPECT_EQ(Merged.lookup("svc::Store::get")->Origin, "again");
  RuleSet Copy = R;
  EXPECT_EQ(Copy.lookup("svc::Store::get")->Origin, "again");
  EXPECT_EQ(Copy.lookup("svc::Store::put")->Origin, "again");
}

TEST(RulePatterns, ALeadingDoubleColonIsDroppedAsForNames) {
  RuleSet R;
  ASSERT_EQ(errorOf(R.addText("apis:\n  - name: '::*::Stub::async::*'\n", "r")),
            "");
  EXPECT_NE(R.lookup("Greeter::Stub::async::SayHello"), nullptr);
}

// A malformed pattern is an error naming the file, and the line and column
// of the name.
void expectRejected(const std::string &Name, const std::string &Why) {
  RuleSet R;
  std::string Message = errorOf(R.addText("apis:\n"
                                          "  - name: svc::fetch\n"
                                          "  - name: '" +
                                              Name + "'\n",
                                          "bad.yaml"));
  EXPECT_NE(Message.find("bad.yaml:3:11: "), std::string::npos)
      << Name << ": " << Message;
  EXPECT_NE(Message.find(Why), std::string::npos) << Name << ": " << Message;
  EXPECT_EQ(R.lookup("svc::fetch"), nullptr) << "nothing of the file is kept";
}

TEST(RulePatterns, AStarInsideAComponentIsAnError) {
  expectRejected("svc::async_*", "'async_*' is not a component");
  expectRejected("*Stub::async::*", "'*Stub' is not a component");
  expectRejected("svc::***::get", "'***' is not a component");
  expectRejected("svc*", "'svc*' is not a component");
}

TEST(RulePatterns, AnEmptyComponentIsAnError) {
  expectRejected("svc::::*", "has an empty component");
  expectRejected("svc::*::", "has an empty component");
  expectRejected("svc:*", "is not a component");
}

TEST(RulePatterns, APatternOfWildcardsOnlyIsAnError) {
  expectRejected("*", "needs a component of its own");
  expectRejected("**", "needs a component of its own");
  expectRejected("**::*", "needs a component of its own");
}

// YAML reads a leading `*` as an alias: such a pattern must be quoted.
TEST(RulePatterns, AnUnquotedLeadingStarIsAYamlError) {
  RuleSet R;
  std::string Message =
      errorOf(R.addText("apis:\n  - name: **::*::Stub::async::*\n", "r.yaml"));
  EXPECT_NE(Message.find("r.yaml:2:"), std::string::npos) << Message;
  ASSERT_EQ(errorOf(R.addText("apis:\n  - name: '**::*::Stub::async::*'\n",
                              "r.yaml")),
            "");
}

TEST(RulePatterns, NamesWithoutAStarAreNotPatterns) {
  EXPECT_FALSE(isNamePattern("svc::Store::get"));
  EXPECT_TRUE(isNamePattern("svc::*::get"));
  EXPECT_FALSE(namePatternProblem("svc::Store::get").has_value());
  RuleSet R;
  ASSERT_EQ(errorOf(R.addText("apis:\n  - name: svc::Store::get\n", "r")), "");
  // An exact name matches only itself.
  EXPECT_EQ(R.lookup("svc::Store"), nullptr);
  EXPECT_EQ(R.lookup("x::svc::Store::get"), nullptr);
}

} // namespace
