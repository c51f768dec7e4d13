//===- Shards.cpp - Shards of a compilation database, portable paths ------===//
#include "Shards.h"
#include "awaitify/Driver.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <tuple>

namespace awaitify::cli {
namespace {

namespace path = llvm::sys::path;

std::vector<std::string> components(llvm::StringRef Path) {
  std::vector<std::string> Out;
  for (auto It = path::begin(Path), End = path::end(Path); It != End; ++It)
    Out.push_back(It->str());
  return Out;
}

/// \p Path without `.` and `..` components, with `/` between components.
std::string normalized(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  path::remove_dots(P, /*remove_dot_dot=*/true);
  path::native(P, path::Style::posix);
  return P.empty() ? "." : std::string(P);
}

} // namespace

PathBase::PathBase(llvm::StringRef Dir) {
  llvm::SmallString<256> P(Dir.empty() ? "." : Dir);
  llvm::sys::fs::make_absolute(P);
  this->Dir = normalized(P);
}

std::string PathBase::relative(llvm::StringRef Path) const {
  if (!path::is_absolute(Path))
    return normalized(Path);
  std::vector<std::string> B = components(Dir),
                           F = components(normalized(Path));
  size_t Common = 0;
  while (Common < B.size() && Common < F.size() && B[Common] == F[Common])
    ++Common;
  std::vector<std::string> Parts(B.size() - Common, "..");
  Parts.insert(Parts.end(), F.begin() + Common, F.end());
  return Parts.empty() ? "." : llvm::join(Parts, "/");
}

std::string PathBase::relativeInText(llvm::StringRef Text) const {
  std::string Out = Text.str();
  // The base first, then each folder above it but `/`: the longest first.
  std::string Up;
  for (llvm::StringRef Folder = Dir; Folder.size() > 1;
       Folder = path::parent_path(Folder), Up += "../") {
    std::string Prefix = (Folder + "/").str();
    for (size_t At = Out.find(Prefix); At != std::string::npos;
         At = Out.find(Prefix, At + Up.size()))
      Out.replace(At, Prefix.size(), Up);
  }
  return Out;
}

std::string PathBase::resolve(llvm::StringRef Path) const {
  if (path::is_absolute(Path))
    return Path.str();
  llvm::SmallString<256> P(Dir);
  path::append(P, Path);
  return std::string(P);
}

std::string PathBase::fromWorkingDirectory() const {
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return Dir;
  return PathBase(Cwd).relative(Dir);
}

std::string databaseFolder(llvm::StringRef BuildPath) {
  llvm::SmallString<256> Dir(BuildPath.empty() ? "." : BuildPath);
  llvm::sys::fs::make_absolute(Dir);
  for (llvm::StringRef D = Dir; !D.empty(); D = path::parent_path(D)) {
    llvm::SmallString<256> Db(D);
    path::append(Db, "compile_commands.json");
    if (llvm::sys::fs::exists(Db))
      return D.str();
  }
  return "";
}

llvm::Expected<ShardSpec> parseShard(llvm::StringRef Text) {
  auto [K, N] = Text.split('/');
  ShardSpec S;
  if (K.getAsInteger(10, S.Index) || N.getAsInteger(10, S.Count) ||
      S.Count == 0 || S.Index == 0 || S.Index > S.Count)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "'" + Text +
            "' is not a shard: write K/N, with 1 <= K <= N (shard "
            "K of N)");
  return S;
}

uint64_t fnv1a64(llvm::StringRef Text) {
  uint64_t Hash = 0xcbf29ce484222325ULL;
  for (unsigned char C : Text) {
    Hash ^= C;
    Hash *= 0x100000001b3ULL;
  }
  return Hash;
}

unsigned shardOf(llvm::StringRef RelativePath, unsigned Count) {
  return static_cast<unsigned>(fnv1a64(RelativePath) % Count) + 1;
}

std::vector<std::string> filesOfShard(const std::vector<std::string> &Files,
                                      const PathBase &Base, ShardSpec S) {
  std::vector<std::pair<std::string, std::string>> Keyed;
  for (const std::string &F : Files) {
    llvm::SmallString<256> Abs(F); // a file named relative to here
    llvm::sys::fs::make_absolute(Abs);
    std::string Rel = Base.relative(Abs);
    if (shardOf(Rel, S.Count) == S.Index)
      Keyed.emplace_back(std::move(Rel), F);
  }
  llvm::sort(Keyed);
  std::vector<std::string> Out;
  for (auto &[Rel, F] : Keyed)
    Out.push_back(std::move(F));
  return Out;
}

void sortReport(Report &R) {
  auto Key = [](const Location &L) { return std::tie(L.File, L.Offset); };
  llvm::sort(R.Chains, [&](const ChainReport &A, const ChainReport &B) {
    return std::tuple_cat(Key(A.C.Where), std::tie(A.C.Function)) <
           std::tuple_cat(Key(B.C.Where), std::tie(B.C.Function));
  });
  llvm::sort(R.Skipped, [&](const LeftAlone &A, const LeftAlone &B) {
    return std::tuple_cat(Key(A.Where), std::tie(A.Function, A.Reason)) <
           std::tuple_cat(Key(B.Where), std::tie(B.Function, B.Reason));
  });
  llvm::sort(R.Errors);
  llvm::sort(R.Notes);
}

Report portableReport(const Report &R, const PathBase &Base) {
  Report Out = R;
  auto Move = [&](Location &L) { L.File = Base.relative(L.File); };
  for (ChainReport &CR : Out.Chains) {
    Chain &C = CR.C;
    Move(C.Where);
    Move(C.FunctionWhere);
    for (ChainStep &S : C.Steps)
      Move(S.Where);
    for (clang::tooling::Replacement &E : C.Edits)
      E = clang::tooling::Replacement(Base.relative(E.getFilePath()),
                                      E.getOffset(), E.getLength(),
                                      E.getReplacementText());
    CR.Dropped = Base.relativeInText(CR.Dropped);
  }
  for (LeftAlone &S : Out.Skipped)
    Move(S.Where);
  for (std::string &E : Out.Errors)
    E = Base.relativeInText(E);
  Out.Originals.clear();
  for (const auto &[Path, Text] : R.Originals)
    Out.Originals[Base.relative(Path)] = Text;
  sortReport(Out);
  keepOnly(Out, std::vector<bool>(Out.Chains.size(), true));
  return Out;
}

} // namespace awaitify::cli
