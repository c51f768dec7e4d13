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

/// A folder of its own for a test, removed with it.
struct TempDir {
  TempDir() {
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("awaitify-edits", Path));
  }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }
  std::string file(llvm::StringRef Name) const {
    return (Path + "/" + Name).str();
  }
  llvm::SmallString<128> Path;
};

std::string contents(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  return Buffer ? (*Buffer)->getBuffer().str() : "<unreadable>";
}

unsigned mode(const std::string &Path) {
  auto Perms = llvm::sys::fs::getPermissions(Path);
  return Perms ? unsigned(*Perms) : ~0u;
}

TEST(WriteFileAtomically, KeepsThePermissionBitsOfTheFileItReplaces) {
  TempDir D;
  for (unsigned Mode : {0640u, 0755u, 0600u, 0444u}) {
    std::string Path = D.file("f" + std::to_string(Mode) + ".cpp");
    ASSERT_FALSE(bool(writeFileAtomically(Path, "old\n")));
    ASSERT_FALSE(llvm::sys::fs::setPermissions(
        Path, static_cast<llvm::sys::fs::perms>(Mode)));
    ASSERT_FALSE(bool(writeFileAtomically(Path, "new\n")));
    EXPECT_EQ(contents(Path), "new\n");
    EXPECT_EQ(mode(Path), Mode) << Path;
  }
}

TEST(WriteFileAtomically, WritesTheFileASymbolicLinkNames) {
  TempDir D;
  std::string Target = D.file("target.cpp"), Link = D.file("link.cpp");
  ASSERT_FALSE(bool(writeFileAtomically(Target, "old\n")));
  ASSERT_FALSE(llvm::sys::fs::setPermissions(
      Target, static_cast<llvm::sys::fs::perms>(0750)));
  ASSERT_FALSE(llvm::sys::fs::create_link(Target, Link));
  ASSERT_FALSE(bool(writeFileAtomically(Link, "new\n")));
  EXPECT_TRUE(llvm::sys::fs::is_symlink_file(Link));
  EXPECT_EQ(contents(Target), "new\n");
  EXPECT_EQ(mode(Target), 0750u);
}

TEST(IsReadOnly, NoWriteBitForAnyoneIsReadOnly) {
  TempDir D;
  std::string Path = D.file("f.cpp");
  EXPECT_FALSE(isReadOnly(Path)) << "a missing file";
  ASSERT_FALSE(bool(writeFileAtomically(Path, "x\n")));
  using llvm::sys::fs::perms;
  for (auto [Mode, ReadOnly] : {std::pair{0444u, true},
                                {0555u, true},
                                {0400u, true},
                                {0644u, false},
                                {0464u, false},
                                {0446u, false}}) {
    ASSERT_FALSE(llvm::sys::fs::setPermissions(Path, static_cast<perms>(Mode)));
    EXPECT_EQ(isReadOnly(Path), ReadOnly) << std::oct << Mode;
  }
}

TEST(LineEnding, TheFirstLineDecides) {
  EXPECT_EQ(lineEndingOf("a\r\nb\n"), "\r\n");
  EXPECT_EQ(lineEndingOf("\r\n"), "\r\n");
  EXPECT_EQ(lineEndingOf("a\nb\r\n"), "\n");
  EXPECT_EQ(lineEndingOf("no line break"), "\n");
  EXPECT_EQ(lineEndingOf(""), "\n");
  EXPECT_EQ(lineEndingOf("\n\r\n"), "\n");
}

std::string applied(llvm::StringRef Before, const Replacements &R) {
  auto After = clang::tooling::applyAllReplacements(Before, R);
  if (!After) {
    llvm::consumeError(After.takeError());
    return "<error>";
  }
  return *After;
}

TEST(LineEnding, EditsOfACrlfFileWriteCrlf) {
  std::string Before = "a\r\nb\r\nc\r\n";
  Replacements R;
  // An insertion at a line start, a replacement of a whole line, and text
  // with a CRLF of its own (copied from the file).
  ASSERT_FALSE(bool(R.add(Replacement("f", 3, 0, "x\ny\n"))));
  ASSERT_FALSE(bool(R.add(Replacement("f", 6, 1, "C1\r\nC2"))));
  EXPECT_EQ(applied(Before, inLineEndingOf(Before, R)),
            "a\r\nx\r\ny\r\nb\r\nC1\r\nC2\r\n");
}

TEST(LineEnding, ALineBreakAfterTheFilesCarriageReturnIsNotDoubled) {
  // The edit starts between "\r" and "\n": its "\n" completes the CRLF.
  std::string Before = "a\r\nb\r\n";
  Replacements R;
  ASSERT_FALSE(bool(R.add(Replacement("f", 2, 2, "\nz"))));
  EXPECT_EQ(applied(Before, inLineEndingOf(Before, R)), "a\r\nz\r\n");
}

TEST(LineEnding, AdjacentEditsSeeEachOthersText) {
  // The second edit starts where the first ends, after its "\r".
  std::string Before = "ab\r\n";
  Replacements R;
  ASSERT_FALSE(bool(R.add(Replacement("f", 0, 1, "x\r"))));
  ASSERT_FALSE(bool(R.add(Replacement("f", 1, 1, "\ny\n"))));
  EXPECT_EQ(applied(Before, inLineEndingOf(Before, R)), "x\r\ny\r\n\r\n");
}

TEST(LineEnding, EditsOfAnLfFileWriteLf) {
  std::string Before = "a\nb\r\n";
  Replacements R;
  ASSERT_FALSE(bool(R.add(Replacement("f", 2, 0, "x\r\ny\n"))));
  EXPECT_EQ(applied(Before, inLineEndingOf(Before, R)), "a\nx\ny\nb\r\n")
      << "the lines the edit does not touch keep their ending";
}

TEST(UnifiedDiff, ShowsTheLinesOfACrlfFileAsFixWritesThem) {
  std::string Before = "a\r\nb\r\n";
  Replacements R;
  ASSERT_FALSE(bool(R.add(Replacement("f", 3, 0, "new\n"))));
  EXPECT_EQ(unifiedDiff("f", Before, R, 0),
            "--- f\n+++ f\n@@ -1,0 +2,1 @@\n+new\r\n");
}

TEST(UnifiedDiff, NoEditsNoDiff) {
  EXPECT_EQ(unifiedDiff("f", "x\n", Replacements()), "");
}

} // namespace
