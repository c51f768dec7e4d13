#include "awaitify/Edits.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include <gtest/gtest.h>

using namespace awaitify;
using clang::tooling::Replacement;
using clang::tooling::Replacements;

namespace {

TEST(EditSet, TheSameEditFromTwoTranslationUnitsIsKeptOnce) {
  EditSet S;
  std::vector<Replacement> Chain{Replacement("/h.h", 0, 4, "awaitify::detached")};
  EXPECT_EQ(S.addChain(Chain), EditSet::AddResult::Added);
  EXPECT_EQ(S.addChain(Chain), EditSet::AddResult::Duplicate);
  EXPECT_EQ(S.files().at("/h.h").size(), 1u);
}

TEST(EditSet, AConflictingChainIsRefusedWhole) {
  EditSet S;
  EXPECT_EQ(S.addChain({Replacement("/a.cpp", 10, 5, "x")}),
            EditSet::AddResult::Added);
  std::string Why;
  EXPECT_EQ(S.addChain({Replacement("/b.cpp", 0, 1, "y"),
                        Replacement("/a.cpp", 12, 5, "z")},
                       &Why),
            EditSet::AddResult::Conflict);
  EXPECT_FALSE(Why.empty());
  EXPECT_EQ(S.files().count("/b.cpp"), 0u) << "nothing of a refused chain is kept";
}

TEST(UnifiedDiff, ShowsOnlyTheChangedLinesWithContext) {
  std::string Before = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
  Replacements R;
  ASSERT_FALSE(bool(R.add(Replacement("f", 8, 1, "E"))));
  std::string D = unifiedDiff("f", Before, R, 1);
  EXPECT_EQ(D, "--- f\n+++ f\n@@ -4,3 +4,3 @@\n d\n-e\n+E\n f\n");
}

TEST(UnifiedDiff, AnInsertionAtALineStartIsAPureAddition) {
  std::string Before = "a\nb\n";
  Replacements R;
  ASSERT_FALSE(bool(R.add(Replacement("f", 2, 0, "new\n"))));
  EXPECT_EQ(unifiedDiff("f", Before, R, 0),
            "--- f\n+++ f\n@@ -1,0 +2,1 @@\n+new\n");
}

TEST(UnifiedDiff, LinesAnEditRewritesToThemselvesAreContext) {
  // One edit rewrites a sorted include block with two headers added: only
  // those two are additions.
  std::string Before = "#include <b>\n#include <d>\nint x;\n";
  Replacements R;
  ASSERT_FALSE(bool(R.add(Replacement(
      "f", 0, 26, "#include <a>\n#include <b>\n#include <c>\n#include <d>\n"))));
  EXPECT_EQ(unifiedDiff("f", Before, R, 1), "--- f\n+++ f\n@@ -1,2 +1,4 @@\n"
                                            "+#include <a>\n #include <b>\n"
                                            "+#include <c>\n #include <d>\n");
}

TEST(UnifiedDiff, ChangedLinesBetweenKeptOnesArePairedInOrder) {
  std::string Before = "a\nb\nc\nd\n";
  Replacements R;
  ASSERT_FALSE(bool(R.add(Replacement("f", 0, 8, "A\nb\nC\nd\n"))));
  EXPECT_EQ(unifiedDiff("f", Before, R, 0),
            "--- f\n+++ f\n@@ -1,1 +1,1 @@\n-a\n+A\n@@ -3,1 +3,1 @@\n-c\n+C\n");
}

TEST(WriteFileAtomically, ReplacesTheFileAndLeavesNoTemporaryBehind) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("awaitify-write", Dir));
  std::string Path = (Dir + "/f.cpp").str();
  ASSERT_FALSE(bool(writeFileAtomically(Path, "old\n")));
  ASSERT_FALSE(bool(writeFileAtomically(Path, "new\n")));
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  ASSERT_TRUE(bool(Buffer));
  EXPECT_EQ((*Buffer)->getBuffer(), "new\n");
  unsigned Entries = 0;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    ++Entries;
  EXPECT_EQ(Entries, 1u) << "a temporary file was left in " << Dir.str().str();
  llvm::sys::fs::remove_directories(Dir);
}

TEST(WriteFileAtomically, FailsIntoAMissingFolderWithoutCreatingIt) {
  EXPECT_TRUE(bool(llvm::errorToBool(
      writeFileAtomically("/nonexistent-awaitify-dir/f.cpp", "x"))));
}

TEST(UnifiedDiff, NoEditsNoDiff) {
  EXPECT_EQ(unifiedDiff("f", "x\n", Replacements()), "");
}

} // namespace
