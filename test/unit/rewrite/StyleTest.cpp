#include "rewrite/Style.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>
#include <thread>

using namespace awaitify::detail;
using clang::format::FormatStyle;

namespace {

/// Braces on their own lines, four-space indents: the layout of many
/// Windows and Boost codebases.
constexpr char AllmanFourSpaces[] = R"cpp(#include <vector>

namespace app
{

class Counter
{
public:
    void add(int n)
    {
        if (n > 0)
        {
            total += n;
        }
        else
        {
            total -= n;
        }
        for (int i = 0; i < n; ++i)
        {
            history.push_back(i);
        }
    }

    int value() const
    {
        return total;
    }

    bool empty() const
    {
        return history.empty();
    }

private:
    int total = 0;
    std::vector<int> history;
};

int sum(const std::vector<int> &values)
{
    int s = 0;
    for (int v : values)
    {
        if (v > 0)
        {
            s += v;
        }
    }
    return s;
}

} // namespace app
)cpp";

/// The same code as clang-format's LLVM style lays it out.
constexpr char LLVMLayout[] = R"cpp(#include <vector>

namespace app {

class Counter {
public:
  void add(int n) {
    if (n > 0) {
      total += n;
    } else {
      total -= n;
    }
    for (int i = 0; i < n; ++i) {
      history.push_back(i);
    }
  }

  int value() const { return total; }

  bool empty() const { return history.empty(); }

private:
  int total = 0;
  std::vector<int> history;
};

int sum(const std::vector<int> &values) {
  int s = 0;
  for (int v : values) {
    if (v > 0) {
      s += v;
    }
  }
  return s;
}

} // namespace app
)cpp";

/// A tab per level, braces attached.
constexpr char Tabs[] = "namespace app {\n"
                        "\n"
                        "int sum(const int *values, int n) {\n"
                        "\tint s = 0;\n"
                        "\tfor (int i = 0; i < n; ++i) {\n"
                        "\t\tif (values[i] > 0) {\n"
                        "\t\t\ts += values[i];\n"
                        "\t\t} else {\n"
                        "\t\t\ts -= values[i];\n"
                        "\t\t}\n"
                        "\t}\n"
                        "\treturn s;\n"
                        "}\n"
                        "\n"
                        "int count(const int *values, int n) {\n"
                        "\tint c = 0;\n"
                        "\twhile (n > 0) {\n"
                        "\t\tif (values[--n] != 0) {\n"
                        "\t\t\t++c;\n"
                        "\t\t}\n"
                        "\t}\n"
                        "\treturn c;\n"
                        "}\n"
                        "\n"
                        "} // namespace app\n";

/// Three-space indents, braces attached.
constexpr char ThreeSpaces[] = R"cpp(namespace app {

int sum(const int *values, int n) {
   int s = 0;
   for (int i = 0; i < n; ++i) {
      if (values[i] > 0) {
         s += values[i];
      } else {
         s -= values[i];
      }
   }
   return s;
}

int count(const int *values, int n) {
   int c = 0;
   while (n > 0) {
      if (values[--n] != 0) {
         ++c;
      }
   }
   return c;
}

} // namespace app
)cpp";

std::string describe(const FormatStyle &S) {
  return clang::format::configurationAsText(S);
}

/// A folder in the system's temporary folder, removed with its files.
struct TempDir {
  llvm::SmallString<256> Path;
  TempDir() {
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("awaitify-style", Path));
  }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }

  std::string write(llvm::StringRef Name, llvm::StringRef Text) const {
    llvm::SmallString<256> File(Path);
    llvm::sys::path::append(File, Name);
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    EXPECT_FALSE(EC) << EC.message();
    OS << Text;
    return std::string(File);
  }
};

TEST(InferStyle, AnAllmanFileWithFourSpaceIndentsIsInferredAsSuch) {
  FormatStyle S = inferStyle(AllmanFourSpaces);
  EXPECT_EQ(S.BreakBeforeBraces, FormatStyle::BS_Allman) << describe(S);
  EXPECT_EQ(S.IndentWidth, 4u) << describe(S);
  EXPECT_EQ(S.AccessModifierOffset, -4) << "public: stays flush with class";
  EXPECT_EQ(S.UseTab, FormatStyle::UT_Never);
  EXPECT_TRUE(styleDistance(S, AllmanFourSpaces).isZero())
      << "clang-format would leave the file as it is";
}

TEST(InferStyle, AnLLVMStyleFileIsInferredAsLLVMStyle) {
  FormatStyle S = inferStyle(LLVMLayout);
  EXPECT_TRUE(S == clang::format::getLLVMStyle()) << describe(S);
  EXPECT_TRUE(styleDistance(S, LLVMLayout).isZero());
}

TEST(InferStyle, AFileIndentedWithTabsIsInferredToUseTabs) {
  FormatStyle S = inferStyle(Tabs);
  EXPECT_NE(S.UseTab, FormatStyle::UT_Never) << describe(S);
  EXPECT_EQ(S.TabWidth, S.IndentWidth) << "a tab per level";
  EXPECT_EQ(S.BreakBeforeBraces, FormatStyle::BS_Attach);
  EXPECT_TRUE(styleDistance(S, Tabs).isZero()) << describe(S);
}

TEST(InferStyle, AnUncommonIndentWidthIsInferred) {
  FormatStyle S = inferStyle(ThreeSpaces);
  EXPECT_EQ(S.IndentWidth, 3u) << describe(S);
  EXPECT_EQ(S.BreakBeforeBraces, FormatStyle::BS_Attach);
}

TEST(StyleDistance, CountsThePlacesClangFormatWouldChange) {
  StyleDistance D =
      styleDistance(clang::format::getLLVMStyle(), AllmanFourSpaces);
  EXPECT_GT(D.Changes, 20u) << "each brace and each indented line";
  EXPECT_GE(D.Characters, D.Changes);
  EXPECT_LT(styleDistance(inferStyle(AllmanFourSpaces), AllmanFourSpaces), D);
}

TEST(StyleForFile, WithoutAConfigurationTheFileItselfDecides) {
  TempDir Dir;
  std::string File = Dir.write("session.cpp", AllmanFourSpaces);
  auto S = styleForFile(File, AllmanFourSpaces, /*FallbackStyle=*/"");
  ASSERT_TRUE(bool(S)) << llvm::toString(S.takeError());
  EXPECT_EQ(S->BreakBeforeBraces, FormatStyle::BS_Allman);
  EXPECT_EQ(S->IndentWidth, 4u);
}

TEST(StyleForFile, AClangFormatFileNearbyWinsOverTheFilesOwnStyle) {
  TempDir Dir;
  Dir.write(".clang-format", "BasedOnStyle: LLVM\nIndentWidth: 3\n");
  std::string File = Dir.write("session.cpp", AllmanFourSpaces);
  auto S = styleForFile(File, AllmanFourSpaces, /*FallbackStyle=*/"");
  ASSERT_TRUE(bool(S)) << llvm::toString(S.takeError());
  EXPECT_EQ(S->BreakBeforeBraces, FormatStyle::BS_Attach) << "not inferred";
  EXPECT_EQ(S->IndentWidth, 3u) << "the configuration's";
}

TEST(StyleForFile, AConfigurationThatDisablesFormattingIsKept) {
  TempDir Dir;
  Dir.write(".clang-format", "DisableFormat: true\n");
  std::string File = Dir.write("session.cpp", AllmanFourSpaces);
  auto S = styleForFile(File, AllmanFourSpaces, /*FallbackStyle=*/"");
  ASSERT_TRUE(bool(S)) << llvm::toString(S.takeError());
  EXPECT_TRUE(S->DisableFormat);
}

TEST(StyleForFile, AnExplicitFallbackStyleWinsOverTheFilesOwnStyle) {
  TempDir Dir;
  std::string File = Dir.write("session.cpp", AllmanFourSpaces);
  auto S = styleForFile(File, AllmanFourSpaces, "LLVM");
  ASSERT_TRUE(bool(S)) << llvm::toString(S.takeError());
  EXPECT_TRUE(*S == clang::format::getLLVMStyle()) << describe(*S);
  auto None = styleForFile(File, AllmanFourSpaces, "none");
  ASSERT_TRUE(bool(None)) << llvm::toString(None.takeError());
  EXPECT_TRUE(None->DisableFormat);
}

TEST(StyleForFile, ANewTextAtTheSamePathIsInferredAgain) {
  TempDir Dir;
  std::string File = Dir.write("session.cpp", AllmanFourSpaces);
  auto Allman = styleForFile(File, AllmanFourSpaces, "");
  auto LLVM = styleForFile(File, LLVMLayout, "");
  ASSERT_TRUE(Allman && LLVM);
  EXPECT_EQ(Allman->BreakBeforeBraces, FormatStyle::BS_Allman);
  EXPECT_EQ(LLVM->BreakBeforeBraces, FormatStyle::BS_Attach);
}

TEST(StyleForFile, ThreadsAskingAtOnceAllGetTheSameStyle) {
  TempDir Dir;
  std::string File = Dir.write("header.h", AllmanFourSpaces);
  constexpr unsigned N = 4;
  std::vector<FormatStyle> Styles(N);
  std::vector<std::thread> Threads;
  for (unsigned I = 0; I < N; ++I)
    Threads.emplace_back([&, I] {
      auto S = styleForFile(File, AllmanFourSpaces, "");
      if (S)
        Styles[I] = *S;
      else
        llvm::consumeError(S.takeError());
    });
  for (std::thread &T : Threads)
    T.join();
  for (const FormatStyle &S : Styles) {
    EXPECT_EQ(S.BreakBeforeBraces, FormatStyle::BS_Allman);
    EXPECT_TRUE(S == Styles.front());
  }
}

} // namespace
