//===- Shards.h - One run split over machines, and merged back --*- C++ -*-===//
//
// `--shard=K/N` analyses the files of one shard of the compilation database;
// the shard of a file depends only on its path relative to the base folder
// (--path-prefix, else the folder of compile_commands.json), so every
// machine computes the same split. The output of a shard is portable: paths
// relative to the base, everything in one order (sortReport), nothing that
// depends on the machine or the time. `awaitify merge` (Merge.cpp) puts the
// outputs of the shards together into what one run prints. docs/ci.md
// documents both.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_CLI_SHARDS_H
#define AWAITIFY_CLI_SHARDS_H

#include "awaitify/Report.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>
#include <vector>

namespace awaitify::cli {

/// The folder that the paths of portable output are relative to.
class PathBase {
public:
  /// \p Dir, made absolute from the working directory and without `.` and
  /// `..` components.
  explicit PathBase(llvm::StringRef Dir);

  const std::string &dir() const { return Dir; }

  /// \p Path relative to the base, with `/` between components and `..` for
  /// each folder of the base it is not in ("." for the base itself). A
  /// relative \p Path is relative to the base already: it is only
  /// normalised.
  std::string relative(llvm::StringRef Path) const;

  /// \p Text with every absolute path below a folder that holds the base
  /// (other than `/`) written relative to the base: the paths inside an
  /// error message.
  std::string relativeInText(llvm::StringRef Text) const;

  /// A path to open for \p Path, which is relative to the base.
  std::string resolve(llvm::StringRef Path) const;

  /// The base relative to the working directory ("." when they are the
  /// same): clang-apply-replacements, run where awaitify ran, finds the
  /// files of an exported fix from there.
  std::string fromWorkingDirectory() const;

private:
  std::string Dir;
};

/// The folder of the compilation database that \p BuildPath (-p) names:
/// the nearest folder at or above it that holds compile_commands.json; the
/// working directory when \p BuildPath is empty. Empty when there is none.
std::string databaseFolder(llvm::StringRef BuildPath);

struct ShardSpec {
  unsigned Index = 1; ///< K, from 1
  unsigned Count = 1; ///< N
};

/// Parses "K/N" (1 <= K <= N).
llvm::Expected<ShardSpec> parseShard(llvm::StringRef Text);

/// FNV-1a, 64 bits: offset basis 0xcbf29ce484222325, prime 0x100000001b3,
/// over the bytes of \p Text.
uint64_t fnv1a64(llvm::StringRef Text);

/// The shard, from 1 to \p Count, of the file whose path relative to the
/// base is \p RelativePath: fnv1a64(RelativePath) mod Count, plus 1.
unsigned shardOf(llvm::StringRef RelativePath, unsigned Count);

/// The files of \p Files (absolute, or relative to the working directory)
/// in shard \p S, as they were given, in the order of their paths relative
/// to \p Base.
std::vector<std::string> filesOfShard(const std::vector<std::string> &Files,
                                      const PathBase &Base, ShardSpec S);

/// Sorts what \p R found into the one order of portable output: chains and
/// places left alone by file, offset and function; errors and notes as text.
void sortReport(Report &R);

/// \p R as portable output prints it: every path relative to \p Base (in
/// locations, edits, errors and why a chain was dropped), sorted.
Report portableReport(const Report &R, const PathBase &Base);

} // namespace awaitify::cli

#endif
