//===- ReportTest.cpp - A chain's rewrite as a reader sees it -------------===//
//
// rewriteHunks and Report::preview: what `awaitify report` and the JSON's
// `preview` show of a chain's edits.
//
//===----------------------------------------------------------------------===//
#include "awaitify/Report.h"
#include "gtest/gtest.h"

using namespace awaitify;
using clang::tooling::Replacement;

namespace {

const char Text[] = "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n";

/// The offset of the start of line \p N (from 1) of Text.
unsigned lineStart(unsigned N) {
  llvm::StringRef T(Text);
  unsigned Offset = 0;
  for (unsigned I = 1; I < N; ++I)
    Offset = T.find('\n', Offset) + 1;
  return Offset;
}

TEST(RewriteHunks, TheLinesAnEditTouchesWithContext) {
  auto H = rewriteHunks("f.cpp", Text,
                        {Replacement("f.cpp", lineStart(5), 2, "L5")});
  ASSERT_EQ(H.size(), 1u);
  EXPECT_EQ(H[0].File, "f.cpp");
  EXPECT_EQ(H[0].Line, 3u);
  EXPECT_EQ(H[0].Before, "l3\nl4\nl5\nl6\nl7\n");
  EXPECT_EQ(H[0].After, "l3\nl4\nL5\nl6\nl7\n");
}

TEST(RewriteHunks, CloseEditsShareAHunkDistantOnesDoNot) {
  // Edits on lines 2 and 6: their contexts (lines 1-4 and 4-8) meet.
  auto Shared = rewriteHunks("f.cpp", Text,
                             {Replacement("f.cpp", lineStart(2), 0, "+\n"),
                              Replacement("f.cpp", lineStart(6), 0, "+\n")});
  ASSERT_EQ(Shared.size(), 1u);
  EXPECT_EQ(Shared[0].Line, 1u);
  EXPECT_EQ(Shared[0].After, "l1\n+\nl2\nl3\nl4\nl5\n+\nl6\nl7\nl8\n");
  // Edits on lines 1 and 10 (contexts 1-3 and 8-10) make two hunks.
  auto Apart = rewriteHunks("f.cpp", Text,
                            {Replacement("f.cpp", lineStart(10), 3, "X"),
                             Replacement("f.cpp", 0, 0, "// top\n")});
  ASSERT_EQ(Apart.size(), 2u);
  EXPECT_EQ(Apart[0].Line, 1u);
  EXPECT_EQ(Apart[0].Before, "l1\nl2\nl3\n");
  EXPECT_EQ(Apart[0].After, "// top\nl1\nl2\nl3\n");
  EXPECT_EQ(Apart[1].Line, 8u);
  EXPECT_EQ(Apart[1].Before, "l8\nl9\nl10\n");
  EXPECT_EQ(Apart[1].After, "l8\nl9\nX\n");
}

TEST(RewriteHunks, LastLineWithoutNewlineAndInsertionAtTheEnd) {
  auto H = rewriteHunks("g.cpp", "a\nb", {Replacement("g.cpp", 3, 0, "c")});
  ASSERT_EQ(H.size(), 1u);
  EXPECT_EQ(H[0].Line, 1u);
  EXPECT_EQ(H[0].Before, "a\nb");
  EXPECT_EQ(H[0].After, "a\nbc");
}

TEST(RewriteHunks, NoneWhenTheEditsDoNotApply) {
  // The file is shorter than the edit says: it changed since.
  EXPECT_TRUE(
      rewriteHunks("f.cpp", "short\n", {Replacement("f.cpp", 40, 2, "x")})
          .empty());
  // Overlapping edits.
  EXPECT_TRUE(rewriteHunks("f.cpp", Text,
                           {Replacement("f.cpp", 0, 4, "x"),
                            Replacement("f.cpp", 2, 4, "y")})
                  .empty());
}

TEST(ReportPreview, EachFileOfTheChainFromItsRecordedText) {
  Report R;
  R.Originals["a.cpp"] = "int a;\n";
  R.Originals["a.h"] = "// h\nvoid a();\n";
  ChainReport CR;
  CR.C.Edits = {Replacement("a.cpp", 0, 3, "long"),
                Replacement("a.h", 5, 0, "#include <x>\n"),
                Replacement("unread.h", 0, 0, "x")};
  auto H = R.preview(CR);
  ASSERT_EQ(H.size(), 2u); // nothing of unread.h: its text is not recorded
  EXPECT_EQ(H[0].File, "a.cpp");
  EXPECT_EQ(H[0].After, "long a;\n");
  EXPECT_EQ(H[1].File, "a.h");
  EXPECT_EQ(H[1].Before, "// h\nvoid a();\n");
  EXPECT_EQ(H[1].After, "// h\n#include <x>\nvoid a();\n");
}

} // namespace
