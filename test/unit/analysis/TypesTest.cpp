// The type questions of the analysis are keyed on qualified names: a
// program's own class that happens to be called `lock_guard` is not a lock.
#include "analysis/Types.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include <gtest/gtest.h>

using namespace awaitify::detail;
using namespace clang::ast_matchers;

namespace {

/// The type of variable \p Var declared in \p Code (with the standard
/// library's headers, as a program would have them).
class TypeOf {
public:
  explicit TypeOf(const std::string &Code)
      : AST(clang::tooling::buildASTFromCodeWithArgs(
            Code, {"-std=c++20", "-resource-dir=" AWAITIFY_RESOURCE_DIR},
            "input.cc")) {}
  clang::QualType operator()(const std::string &Var) {
    auto Found = match(varDecl(hasName(Var)).bind("v"), AST->getASTContext());
    EXPECT_EQ(Found.size(), 1u) << Var;
    return Found.empty() ? clang::QualType()
                         : Found[0].getNodeAs<clang::VarDecl>("v")->getType();
  }

private:
  std::unique_ptr<clang::ASTUnit> AST;
};

TEST(Types, LocksAreTheStandardLibrarysOnly) {
  TypeOf T(R"cpp(
#include <mutex>
namespace app { struct lock_guard { ~lock_guard(); }; }
std::mutex m;
void f() {
  std::lock_guard<std::mutex> a(m);
  std::unique_lock<std::mutex> b(m);
  app::lock_guard c;
}
)cpp");
  EXPECT_TRUE(isLock(T("a")));
  EXPECT_TRUE(isLock(T("b")));
  EXPECT_FALSE(isLock(T("c")));
}

TEST(Types, StringsAndContainersOfValuesArePlainHandlesAreNot) {
  TypeOf T(R"cpp(
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
struct Logs { ~Logs(); };
void f() {
  std::string s;
  std::vector<std::map<int, std::string>> v;
  std::shared_ptr<int> p;
  std::function<void()> fn;
  std::vector<Logs> logs;
}
)cpp");
  EXPECT_TRUE(isPlainType(T("s")));
  EXPECT_TRUE(isPlainType(T("v")));
  EXPECT_FALSE(isPlainType(T("p")));
  EXPECT_TRUE(isOwningHandle(T("p")));
  EXPECT_TRUE(isOwningHandle(T("fn")));
  EXPECT_FALSE(isPlainType(T("logs")));
}

TEST(Types, ViewsAreStringViewAndSpan) {
  TypeOf T(R"cpp(
#include <span>
#include <string>
#include <string_view>
namespace app { struct string_view { const char *p; }; }
void f() {
  std::string_view a;
  std::span<int> b;
  app::string_view c;
  std::string d;
}
)cpp");
  EXPECT_TRUE(isView(T("a")));
  EXPECT_TRUE(isView(T("b")));
  EXPECT_FALSE(isView(T("c")));
  EXPECT_FALSE(isView(T("d")));
}

} // namespace
