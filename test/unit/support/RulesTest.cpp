#include "awaitify/Rules.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace awaitify;

namespace {

TEST(Rules, TheMinimumSchemaFromTheDesignWorksAsWritten) {
  RuleSet R;
  ASSERT_FALSE(bool(R.addText("apis:\n"
                              "  - name: svc::fetch\n"
                              "  - name: svc::Store::get\n"
                              "    callback: last\n",
                              "rules.yaml")));
  ASSERT_NE(R.lookup("svc::fetch"), nullptr);
  EXPECT_FALSE(R.lookup("svc::fetch")->CallbackIndex.has_value());
  ASSERT_NE(R.lookup("svc::Store::get"), nullptr);
  EXPECT_EQ(R.lookup("svc::other"), nullptr);
}

TEST(Rules, ACallbackIndexIsRead) {
  RuleSet R;
  ASSERT_FALSE(bool(R.addText("apis:\n  - name: f\n    callback: 0\n", "r")));
  EXPECT_EQ(R.lookup("f")->CallbackIndex, 0u);
}

TEST(Rules, AnUnknownKeyIsAnErrorNamingTheFile) {
  RuleSet R;
  llvm::Error E = R.addText("apis:\n  - nam: f\n", "my-rules.yaml");
  ASSERT_TRUE(bool(E));
  std::string Message = llvm::toString(std::move(E));
  EXPECT_NE(Message.find("my-rules.yaml"), std::string::npos) << Message;
}

TEST(Rules, ABadCallbackValueIsAnError) {
  RuleSet R;
  llvm::Error E = R.addText("apis:\n  - name: f\n    callback: first\n", "r");
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("callback"), std::string::npos);
}

TEST(Rules, CompletesSaysWhetherTheApiMayCallBackBeforeItReturns) {
  RuleSet R;
  ASSERT_FALSE(bool(R.addText("apis:\n"
                              "  - name: later\n"
                              "    completes: later\n"
                              "  - name: any\n"
                              "    completes: any\n"
                              "  - name: unsaid\n"
                              "  - name: asio\n"
                              "    await: asio\n",
                              "r")));
  EXPECT_TRUE(R.lookup("later")->CompletesLater);
  EXPECT_FALSE(R.lookup("any")->CompletesLater);
  EXPECT_FALSE(R.lookup("unsaid")->CompletesLater);
  EXPECT_TRUE(R.lookup("asio")->CompletesLater);  // Asio never calls inline
  llvm::Error E = R.addText("apis:\n  - name: f\n    completes: soon\n", "r");
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("'completes' must be"), std::string::npos);
}

TEST(Rules, ALaterRuleForTheSameNameReplacesTheEarlierOne) {
  RuleSet R;
  ASSERT_FALSE(bool(R.addText("apis:\n  - name: f\n", "a")));
  ASSERT_FALSE(bool(R.addText("apis:\n  - name: f\n    callback: 1\n", "b")));
  EXPECT_EQ(R.size(), 1u);
  EXPECT_EQ(R.lookup("f")->CallbackIndex, 1u);
  EXPECT_EQ(R.lookup("f")->Origin, "b");
}

TEST(Rules, AMissingFileIsAnErrorNamingIt) {
  RuleSet R;
  llvm::Error E = R.addFile("/nonexistent/rules.yaml");
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("/nonexistent/rules.yaml"),
            std::string::npos);
}

TEST(Rules, TheProjectRuleFileIsFoundInAParentFolder) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("awaitify-rules", Dir));
  std::string Sub = (Dir + "/a/b").str();
  ASSERT_FALSE(llvm::sys::fs::create_directories(Sub));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS((Dir + "/.awaitify.yaml").str(), EC);
    OS << "apis:\n  - name: f\n";
  }
  auto Found = findProjectRuleFile(Sub + "/x.cpp");
  ASSERT_TRUE(Found.has_value());
  EXPECT_EQ(*Found, (Dir + "/.awaitify.yaml").str());
  llvm::sys::fs::remove_directories(Dir);
}

} // namespace
