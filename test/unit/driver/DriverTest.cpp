// What every front end shares past the analysis: the wording of a chain,
// and verification, which keeps the chains whose rewrite compiles.
#include "awaitify/Driver.h"
#include "awaitify/Messages.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace awaitify;

namespace {

Chain chain(const std::string &Function, unsigned Offset,
            const std::string &Text) {
  Chain C;
  C.Function = Function;
  C.Where.File = "/src/a.cpp";
  C.Where.Offset = Offset;
  C.Depth = 2;
  C.Steps.resize(2);
  C.Steps[0].Callee = "db::get";
  C.Steps[1].Callee = "db::put";
  C.Edits.emplace_back("/src/a.cpp", Offset, 1, Text);
  return C;
}

TEST(Messages, TheChainIsWordedOnce) {
  Chain C = chain("f", 0, "x");
  C.Assumptions.push_back("something");
  EXPECT_EQ(chainMessage(C), "callback chain of 2 calls (depth 2) in 'f' can "
                             "be rewritten with co_await (confidence: safe)");
  std::vector<Note> Notes = chainNotes(C, "it broke");
  ASSERT_EQ(Notes.size(), 4u);
  EXPECT_EQ(Notes[0].Text, "step 1: 'db::get' completes into this callback");
  EXPECT_EQ(Notes[2].Text, "assumes: something");
  EXPECT_EQ(Notes[3].Text, "not rewritten: it broke");
  EXPECT_EQ(chainNotes(C).size(), 3u);
}

TEST(Verification, OnlyTheChainsThatBreakTheBuildAreDropped) {
  Report R;
  AnalysisResult A;
  A.Chains = {chain("good", 0, "G"), chain("bad", 2, "B"),
              chain("fine", 4, "F")};
  R.add(A);
  R.acceptEdits([](llvm::StringRef) -> std::optional<std::string> {
    return std::string("abcdef");
  });
  ASSERT_EQ(R.Originals.at("/src/a.cpp"), "abcdef");
  std::vector<bool> Keep(R.Chains.size(), true);
  unsigned Parses = 0;
  // The file compiles unless it holds bad's edit.
  verifyTranslationUnit(
      R, Keep, {"/src/a.cpp"},
      [&](const std::map<std::string, std::string> &Contents)
          -> std::optional<std::string> {
        ++Parses;
        if (Contents.at("/src/a.cpp").find('B') != std::string::npos)
          return std::string("a.cpp:1:3: error: B");
        return std::nullopt;
      });
  EXPECT_EQ(Parses, 4u); // all together, then one at a time
  EXPECT_TRUE(R.Chains[0].Dropped.empty());
  EXPECT_EQ(R.Chains[1].Dropped,
            "the rewritten code does not compile: a.cpp:1:3: error: B");
  EXPECT_TRUE(R.Chains[2].Dropped.empty());
  EXPECT_EQ(R.kept(), 2u);
  EXPECT_EQ(R.contentsWith(R.Edits).at("/src/a.cpp"), "GbcdFf");
}

TEST(Verification, ATranslationUnitThatReadsNoEditedFileIsNotParsed) {
  Report R;
  AnalysisResult A;
  A.Chains = {chain("f", 0, "x")};
  R.add(A);
  R.acceptEdits([](llvm::StringRef) -> std::optional<std::string> {
    return std::string("abc");
  });
  std::vector<bool> Keep(1, true);
  bool Parsed = false;
  verifyTranslationUnit(R, Keep, {"/src/other.cpp"},
                        [&](const std::map<std::string, std::string> &) {
                          Parsed = true;
                          return std::optional<std::string>();
                        });
  EXPECT_FALSE(Parsed);
  EXPECT_EQ(R.kept(), 1u);
}

TEST(Rules, AProjectRuleFileOverridesTheRunsRules) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("awaitify-driver", Dir));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS((Dir + "/.awaitify.yaml").str(), EC);
    OS << "apis:\n  - name: f\n    callback: 0\n";
  }
  RuleSet Base;
  ASSERT_FALSE(bool(Base.addText("apis:\n  - name: f\n  - name: g\n", "run")));
  auto Rules = rulesForFile(Base, (Dir + "/a.cpp").str());
  ASSERT_TRUE(bool(Rules));
  EXPECT_EQ(Rules->lookup("f")->CallbackIndex, 0u);
  EXPECT_NE(Rules->lookup("g"), nullptr);
  llvm::sys::fs::remove_directories(Dir);
}

TEST(Rules, TheShippedRulesAreFound) {
  auto Rules = loadRules(/*Shipped=*/true, {});
  ASSERT_TRUE(bool(Rules)) << llvm::toString(Rules.takeError());
  EXPECT_NE(Rules->lookup("boost::asio::async_write"), nullptr);
}

} // namespace
