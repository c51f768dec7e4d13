//===- SarifOutput.cpp - SARIF 2.1.0 for code scanning --------------------===//
//
// `awaitify check --format=sarif` prints one SARIF 2.1.0 log with one run:
//
//  * tool.driver.rules describes the one rule, `awaitify-callback-chain`
//    (the clang-tidy check's name: the ruleId never changes);
//  * a result per chain: the first completion call as its location, the
//    function as its logical location, each step as a related location, the
//    rewrite as a fix (only when it is kept), and partialFingerprints that do
//    not move when lines are added above the chain;
//  * paths are relative to the repository (the nearest folder above the
//    working directory that holds .git, else the working directory) through
//    the uriBaseId %SRCROOT%, which is what GitHub code scanning expects;
//  * errors are tool execution notifications, and executionSuccessful says
//    whether there were any;
//  * portable output (--shard, --path-prefix, `awaitify merge`): the paths
//    of the Report are relative to the base already and stay so, under
//    %SRCROOT%, and originalUriBaseIds (this machine's folder) is left out.
//
// Columns and fix regions are counted in Unicode code points
// (columnKind unicodeCodePoints); the analysis counts bytes, so each file a
// region points into is read once to convert.
//
//===----------------------------------------------------------------------===//
#include "Output.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MD5.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

namespace awaitify::cli {
namespace {

using llvm::json::Array;
using llvm::json::Object;

constexpr llvm::StringLiteral SrcRoot = "%SRCROOT%";

/// The repository the run is about: the nearest folder at or above the
/// working directory that holds .git; else the working directory.
std::string repositoryRoot() {
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return "";
  for (llvm::StringRef Dir = Cwd; !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> Git(Dir);
    llvm::sys::path::append(Git, ".git");
    if (llvm::sys::fs::exists(Git))
      return Dir.str();
  }
  return std::string(Cwd);
}

/// \p Path with every byte outside RFC 3986's unreserved set and '/'
/// percent-encoded.
std::string encodePath(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("-._~/").contains(C))
      Out += C;
    else
      Out += "%" + llvm::utohexstr(C, /*LowerCase=*/false, /*Width=*/2);
  }
  return Out;
}

/// Counts code points instead of bytes in the files a log points into.
class TextIndex {
public:
  TextIndex(const Report &R, llvm::StringRef Base) : R(R), Base(Base) {}

  /// The number of code points in the first \p Bytes bytes of \p File
  /// (bytes, when the file cannot be read).
  unsigned codePoints(llvm::StringRef File, unsigned Bytes) {
    llvm::StringRef Text = contents(File);
    if (Text.empty())
      return Bytes;
    unsigned N = 0;
    for (unsigned I = 0; I < Bytes && I < Text.size(); ++I)
      N += (static_cast<unsigned char>(Text[I]) & 0xC0) != 0x80;
    return N + (Bytes > Text.size() ? Bytes - Text.size() : 0);
  }

  /// \p L's column in code points.
  unsigned column(const Location &L) {
    if (L.Column == 0 || L.Offset + 1 < L.Column)
      return L.Column;
    unsigned LineStart = L.Offset - (L.Column - 1);
    return codePoints(L.File, L.Offset) - codePoints(L.File, LineStart) + 1;
  }

private:
  llvm::StringRef contents(llvm::StringRef File) {
    auto Known = R.Originals.find(File.str());
    if (Known != R.Originals.end())
      return Known->second;
    auto [It, Inserted] = Read.try_emplace(File.str());
    llvm::SmallString<256> Path(File);
    if (!Base.empty() && !llvm::sys::path::is_absolute(File)) {
      Path = Base;
      llvm::sys::path::append(Path, File);
    }
    if (Inserted)
      if (auto Buffer = llvm::MemoryBuffer::getFile(Path))
        It->second = (*Buffer)->getBuffer().str();
    return It->second;
  }

  const Report &R;
  std::string Base; ///< what relative paths are relative to, if not "."
  std::map<std::string, std::string> Read;
};

class SarifWriter {
public:
  SarifWriter(const Report &R, bool WarningsAsErrors,
              llvm::StringRef PortableBase)
      : R(R), Index(R, PortableBase), Portable(!PortableBase.empty()),
        Root(Portable ? "" : repositoryRoot()),
        Level(WarningsAsErrors ? "error" : "warning") {}

  llvm::json::Value log() {
    Array Results;
    for (const ChainReport &CR : R.Chains)
      Results.push_back(result(CR));
    Array Notifications;
    for (const std::string &E : R.Errors)
      Notifications.push_back(Object{{"level", "error"},
                                     {"message", Object{{"text", E}}}});
    Object Run{
        {"tool", Object{{"driver", driver()}}},
        {"columnKind", "unicodeCodePoints"},
        {"results", std::move(Results)},
        {"invocations",
         Array{Object{{"executionSuccessful", R.Errors.empty()},
                      {"toolExecutionNotifications",
                       std::move(Notifications)}}}},
    };
    if (!Root.empty())
      Run["originalUriBaseIds"] = Object{
          {SrcRoot,
           Object{{"uri", "file://" + encodePath(Root) +
                              (llvm::StringRef(Root).ends_with("/") ? ""
                                                                    : "/")}}}};
    return Object{
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", Array{std::move(Run)}},
    };
  }

private:
  Object driver() {
    Object Rule{
        {"id", CheckName},
        {"name", "CallbackChain"},
        {"shortDescription",
         Object{{"text", "Nested callbacks that can be a coroutine."}}},
        {"fullDescription",
         Object{{"text",
                 "A chain of completion calls whose continuations are "
                 "nested lambdas can be rewritten as a C++20 coroutine that "
                 "awaits each call in turn with co_await; the code then "
                 "reads top to bottom. The fix is the rewrite awaitify fix "
                 "would write."}}},
        {"help",
         Object{{"text", "Run `awaitify fix` on the file, or apply the fix, "
                         "to rewrite the chain. Each step is listed as a "
                         "related location."}}},
        {"defaultConfiguration", Object{{"level", Level}}},
        {"properties",
         Object{{"tags", Array{"maintainability", "c++", "coroutines"}}}},
    };
    return Object{{"name", "awaitify"},
                  {"version", AWAITIFY_VERSION},
                  {"semanticVersion", AWAITIFY_VERSION},
                  {"rules", Array{std::move(Rule)}}};
  }

  /// The artifact location of \p File: relative to the repository when the
  /// file is in it, else an absolute file URI.
  Object artifact(llvm::StringRef File) {
    llvm::StringRef Rel = File;
    if (Portable && !llvm::sys::path::is_absolute(File))
      return Object{{"uri", encodePath(Rel)}, {"uriBaseId", SrcRoot}};
    if (!Root.empty() && Rel.consume_front(Root) &&
        (Root.back() == '/' || Rel.consume_front("/")))
      return Object{{"uri", encodePath(Rel)}, {"uriBaseId", SrcRoot}};
    return Object{{"uri", "file://" + encodePath(File)}};
  }

  Object location(const Location &L, std::optional<std::string> Message) {
    Object O{{"physicalLocation",
              Object{{"artifactLocation", artifact(L.File)},
                     {"region", Object{{"startLine", L.Line},
                                       {"startColumn", Index.column(L)}}}}}};
    if (Message)
      O["message"] = Object{{"text", *Message + "."}};
    return O;
  }

  /// Stable across runs and edits elsewhere in the file: the file, the
  /// function and the callees of its steps, not the line.
  std::string fingerprint(const Chain &C) {
    llvm::MD5 Hash;
    Hash.update(relative(C.Where.File));
    Hash.update(llvm::StringRef("\0", 1));
    Hash.update(C.Function);
    for (const ChainStep &S : C.Steps) {
      Hash.update(llvm::StringRef("\0", 1));
      Hash.update(S.Callee);
    }
    llvm::MD5::MD5Result Digest;
    Hash.final(Digest);
    std::string Key = Digest.digest().str().str();
    unsigned N = ++Seen[Key]; // two identical chains in one file
    return N == 1 ? Key : Key + ":" + std::to_string(N);
  }

  std::string relative(llvm::StringRef File) {
    llvm::StringRef Rel = File;
    if (!Root.empty() && Rel.consume_front(Root))
      Rel.consume_front("/");
    return Rel.str();
  }

  Object fix(const Chain &C) {
    std::map<std::string, Array> ByFile;
    for (const clang::tooling::Replacement &E : C.Edits) {
      llvm::StringRef File = E.getFilePath();
      unsigned Begin = Index.codePoints(File, E.getOffset());
      unsigned End = Index.codePoints(File, E.getOffset() + E.getLength());
      ByFile[File.str()].push_back(Object{
          {"deletedRegion",
           Object{{"charOffset", Begin}, {"charLength", End - Begin}}},
          {"insertedContent", Object{{"text", E.getReplacementText()}}}});
    }
    Array Changes;
    for (auto &[File, Replacements] : ByFile)
      Changes.push_back(Object{{"artifactLocation", artifact(File)},
                               {"replacements", std::move(Replacements)}});
    return Object{
        {"description",
         Object{{"text", "Rewrite '" + C.Function + "' with co_await."}}},
        {"artifactChanges", std::move(Changes)}};
  }

  Object result(const ChainReport &CR) {
    const Chain &C = CR.C;
    std::string Message = chainMessage(C) + ".";
    for (const std::string &A : C.Assumptions)
      Message += " Assumes: " + A + ".";
    for (const std::string &Rn : C.Renames)
      Message += " " + Rn + ".";
    if (!CR.Dropped.empty())
      Message += " Not rewritten: " + CR.Dropped + ".";
    Array Related;
    unsigned N = 0;
    for (const ChainStep &S : C.Steps) {
      Object L = location(S.Where, stepMessage(N + 1, S));
      L["id"] = N++;
      Related.push_back(std::move(L));
    }
    Object O{
        {"ruleId", CheckName},
        {"ruleIndex", 0},
        {"level", Level},
        {"message", Object{{"text", Message}}},
        {"locations", Array{location(C.Where, std::nullopt)}},
        {"relatedLocations", std::move(Related)},
        {"partialFingerprints",
         Object{{"awaitifyChain/v1", fingerprint(C)}}},
        {"properties", Object{{"function", C.Function},
                              {"confidence", C.Conf.name()},
                              {"depth", C.Depth},
                              {"rewritable", CR.Dropped.empty()}}},
    };
    Object &Loc = *O["locations"].getAsArray()->front().getAsObject();
    Loc["logicalLocations"] =
        Array{Object{{"fullyQualifiedName", C.Function}, {"kind", "function"}}};
    if (CR.Dropped.empty() && !C.Edits.empty())
      O["fixes"] = Array{fix(C)};
    return O;
  }

  const Report &R;
  TextIndex Index;
  bool Portable;
  std::string Root;
  llvm::StringRef Level;
  std::map<std::string, unsigned> Seen;
};

} // namespace

void printSarif(llvm::raw_ostream &OS, const Report &R, bool WarningsAsErrors,
                llvm::StringRef PortableBase) {
  OS << llvm::formatv("{0:2}",
                      SarifWriter(R, WarningsAsErrors, PortableBase).log())
     << "\n";
}

} // namespace awaitify::cli
