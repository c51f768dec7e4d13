//===- ReportModel.cpp - Reading `check --format=json` for a report -------===//
#include "ReportModel.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <set>

namespace awaitify::cli {

using llvm::json::ObjectMapper;
using llvm::json::Path;
using llvm::json::Value;

std::string Finding::directory() const {
  llvm::StringRef Dir = llvm::sys::path::parent_path(File);
  return Dir.empty() ? "." : Dir.str();
}

std::string Finding::reason() const {
  if (K == Converted)
    return "";
  return reasonKind(K == NotConverted ? Dropped : Text);
}

llvm::StringRef kindName(Finding::Kind K) {
  switch (K) {
  case Finding::Converted:
    return "converted";
  case Finding::NotConverted:
    return "not converted";
  case Finding::LeftAlone:
    return "left alone";
  }
  llvm_unreachable("a finding is of one of three kinds");
}

std::string reasonKind(llvm::StringRef Reason) {
  size_t End = Reason.size();
  for (llvm::StringRef Stop : {": ", "; ", " ("})
    End = std::min(End, Reason.find(Stop));
  llvm::StringRef Clause = Reason.take_front(End);
  std::string Out;
  while (!Clause.empty()) {
    char C = Clause.front();
    if (C == '\'') {
      size_t Close = Clause.find('\'', 1);
      if (Close != llvm::StringRef::npos) {
        llvm::StringRef Name = Clause.slice(1, Close);
        bool Keep = Name == "safe" || Name == "reasonable" || Name == "risky";
        Out += "'" + (Keep ? Name.str() : std::string("…")) + "'";
        Clause = Clause.drop_front(Close + 1);
        continue;
      }
    }
    if (llvm::isDigit(C)) {
      Out += 'N';
      Clause = Clause.drop_while(llvm::isDigit);
      continue;
    }
    Out += C;
    Clause = Clause.drop_front();
  }
  return Out;
}

void FolderCounts::add(const Finding &F) {
  if (F.K == Finding::LeftAlone) {
    ++LeftAlone;
    return;
  }
  ++Chains;
  ++(F.K == Finding::Converted ? Converted : NotConverted);
  Safe += F.Confidence == "safe";
  Reasonable += F.Confidence == "reasonable";
  Risky += F.Confidence == "risky";
}

std::vector<FolderCounts> ReportModel::folders() const {
  std::map<std::string, FolderCounts> ByFolder;
  FolderCounts Total;
  for (const Finding &F : Findings) {
    FolderCounts &C = ByFolder[F.directory()];
    C.Folder = F.directory();
    C.add(F);
    Total.add(F);
  }
  std::vector<FolderCounts> Out;
  for (auto &[Name, C] : ByFolder)
    Out.push_back(C);
  Out.push_back(Total);
  return Out;
}

std::vector<ReasonCount> ReportModel::reasons() const {
  std::map<std::pair<Finding::Kind, std::string>, ReasonCount> ByReason;
  for (const Finding &F : Findings) {
    if (F.K == Finding::Converted)
      continue;
    ReasonCount &R = ByReason[{F.K, F.reason()}];
    R.K = F.K;
    R.Reason = F.reason();
    ++R.Count;
    ++R.Folders[F.directory()];
  }
  std::vector<ReasonCount> Out;
  for (auto &[Key, R] : ByReason)
    Out.push_back(std::move(R));
  llvm::sort(Out, [](const ReasonCount &A, const ReasonCount &B) {
    return std::tie(B.Count, A.K, A.Reason) < std::tie(A.Count, B.K, B.Reason);
  });
  return Out;
}

namespace {

// The parts of the JSON document a report reads (docs/ci.md has them all).
struct JsonEdit {
  std::string File;
  int64_t Offset = 0, Length = 0;
  std::string Text;
};

bool fromJSON(const Value &V, JsonEdit &E, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("file", E.File) && O.map("offset", E.Offset) &&
         O.map("length", E.Length) && O.map("text", E.Text);
}

struct JsonHunk {
  std::string File;
  int64_t Line = 1;
  std::string Before, After;
};

bool fromJSON(const Value &V, JsonHunk &H, Path P) {
  ObjectMapper O(V, P);
  return O && O.map("file", H.File) && O.map("line", H.Line) &&
         O.map("before", H.Before) && O.map("after", H.After);
}

struct JsonFinding {
  std::string File, Function, Message, Confidence, Reason;
  int64_t Line = 0, Column = 0, Depth = 0;
  bool Rewritable = true;
  std::optional<std::string> Dropped;
  std::vector<JsonEdit> Edits;
  std::optional<std::vector<JsonHunk>> Preview;
};

bool mapWhere(ObjectMapper &O, JsonFinding &F) {
  return O.map("file", F.File) && O.map("line", F.Line) &&
         O.map("column", F.Column) && O.map("function", F.Function);
}

bool chainFromJSON(const Value &V, JsonFinding &F, Path P) {
  ObjectMapper O(V, P);
  return O && mapWhere(O, F) && O.map("message", F.Message) &&
         O.map("confidence", F.Confidence) && O.map("depth", F.Depth) &&
         O.map("rewritable", F.Rewritable) && O.map("dropped", F.Dropped) &&
         O.map("edits", F.Edits) && O.map("preview", F.Preview);
}

bool leftAloneFromJSON(const Value &V, JsonFinding &F, Path P) {
  ObjectMapper O(V, P);
  return O && mapWhere(O, F) && O.map("reason", F.Reason);
}

unsigned toUnsigned(int64_t N) { return N < 0 ? 0 : unsigned(N); }

/// The hunks of a chain whose document has none: from the file on disk.
std::vector<RewriteHunk> hunksFromDisk(const JsonFinding &F, std::string &Why) {
  std::vector<std::string> Files;
  for (const JsonEdit &E : F.Edits)
    if (!llvm::is_contained(Files, E.File))
      Files.push_back(E.File);
  std::vector<RewriteHunk> Out;
  for (const std::string &File : Files) {
    auto Buffer = llvm::MemoryBuffer::getFile(File);
    if (!Buffer) {
      Why = "the JSON has no preview, and " + File + " cannot be read";
      return {};
    }
    std::vector<clang::tooling::Replacement> Edits;
    for (const JsonEdit &E : F.Edits)
      if (E.File == File)
        Edits.emplace_back(File, toUnsigned(E.Offset), toUnsigned(E.Length),
                           E.Text);
    auto Hunks = rewriteHunks(File, (*Buffer)->getBuffer(), Edits);
    if (Hunks.empty()) {
      Why = "the JSON has no preview, and " + File + " changed since";
      return {};
    }
    llvm::append_range(Out, Hunks);
  }
  return Out;
}

Finding chainFinding(JsonFinding &&J) {
  Finding F;
  F.K = J.Rewritable ? Finding::Converted : Finding::NotConverted;
  F.File = std::move(J.File);
  F.Line = toUnsigned(J.Line);
  F.Column = toUnsigned(J.Column);
  F.Function = std::move(J.Function);
  F.Confidence = std::move(J.Confidence);
  F.Depth = toUnsigned(J.Depth);
  F.Text = std::move(J.Message);
  F.Dropped = J.Dropped.value_or(J.Rewritable ? "" : "not rewritten");
  if (J.Preview) {
    for (JsonHunk &H : *J.Preview)
      F.Hunks.push_back({std::move(H.File), toUnsigned(H.Line),
                         std::move(H.Before), std::move(H.After)});
  } else {
    F.Hunks = hunksFromDisk(J, F.NoPreview);
  }
  if (F.Hunks.empty() && F.NoPreview.empty())
    F.NoPreview = "the JSON holds no edits for this chain";
  return F;
}

/// What the documents say of one chain, to tell two rewrites apart.
std::string editsKey(const std::vector<JsonEdit> &Edits) {
  std::string Key;
  for (const JsonEdit &E : Edits)
    Key += E.File + ":" + std::to_string(E.Offset) + ":" +
           std::to_string(E.Length) + ":" + E.Text + "\n";
  return Key;
}

/// Adds one document's findings to \p M, each once over all documents.
class Reader {
public:
  explicit Reader(ReportModel &M) : M(M) {}
  llvm::Error read(const Value &Doc, llvm::StringRef Name);

private:
  bool document(const Value &Doc, Path P);
  bool chains(const Value &V, Path P);
  bool leftAlone(const Value &V, Path P);
  ReportModel &M;
  std::map<std::string, std::pair<size_t, std::string>> ChainAt;
  std::set<std::string> PlacesSeen;
};

std::string placeKey(const JsonFinding &F) {
  return F.File + ":" + std::to_string(F.Line) + ":" + std::to_string(F.Column);
}

bool Reader::chains(const Value &V, Path P) {
  const llvm::json::Array *A = V.getAsArray();
  if (!A) {
    P.report("expected an array");
    return false;
  }
  for (size_t I = 0; I < A->size(); ++I) {
    JsonFinding J;
    if (!chainFromJSON((*A)[I], J, P.index(I)))
      return false;
    std::string Key = placeKey(J), Edits = editsKey(J.Edits);
    auto Known = ChainAt.find(Key);
    if (Known == ChainAt.end()) {
      ChainAt[Key] = {M.Findings.size(), Edits};
      M.Findings.push_back(chainFinding(std::move(J)));
      continue;
    }
    // Seen before: converted only if every document converts it, the same
    // way.
    Finding &F = M.Findings[Known->second.first];
    if (F.K != Finding::Converted)
      continue;
    if (Known->second.second != Edits) {
      F.K = Finding::NotConverted;
      F.Dropped = "two translation units rewrite it differently";
    } else if (!J.Rewritable) {
      F.K = Finding::NotConverted;
      F.Dropped = J.Dropped.value_or("not rewritten");
    }
  }
  return true;
}

bool Reader::leftAlone(const Value &V, Path P) {
  const llvm::json::Array *A = V.getAsArray();
  if (!A) {
    P.report("expected an array");
    return false;
  }
  for (size_t I = 0; I < A->size(); ++I) {
    JsonFinding J;
    if (!leftAloneFromJSON((*A)[I], J, P.index(I)))
      return false;
    if (!PlacesSeen.insert(placeKey(J) + ":" + J.Reason).second)
      continue;
    Finding F;
    F.File = std::move(J.File);
    F.Line = toUnsigned(J.Line);
    F.Column = toUnsigned(J.Column);
    F.Function = std::move(J.Function);
    F.Text = std::move(J.Reason);
    M.Findings.push_back(std::move(F));
  }
  return true;
}

bool Reader::document(const Value &Doc, Path P) {
  ObjectMapper O(Doc, P);
  int64_t Version = 0;
  if (!O || !O.map("version", Version))
    return false;
  if (Version < 1) {
    P.field("version").report("expected 1 or later");
    return false;
  }
  const llvm::json::Object &Obj = *Doc.getAsObject();
  for (const char *Field : {"summary", "chains", "leftAlone"})
    if (!Obj.get(Field)) {
      P.field(Field).report("missing value");
      return false;
    }
  ObjectMapper Summary(*Obj.get("summary"), P.field("summary"));
  int64_t Files = 0;
  std::vector<std::string> Errors, Notes;
  if (!Summary || !Summary.map("files", Files) || !O.map("errors", Errors) ||
      !O.map("notes", Notes) ||
      !chains(*Obj.get("chains"), P.field("chains")) ||
      !leftAlone(*Obj.get("leftAlone"), P.field("leftAlone")))
    return false;
  if (const llvm::json::Object *Tool = Obj.getObject("tool"))
    if (std::optional<llvm::StringRef> V = Tool->getString("version"))
      M.ToolVersion = V->str();
  M.Files += toUnsigned(Files);
  ++M.Inputs;
  llvm::append_range(M.Errors, Errors);
  for (std::string &N : Notes)
    if (!llvm::is_contained(M.Notes, N))
      M.Notes.push_back(std::move(N));
  return true;
}

llvm::Error Reader::read(const Value &Doc, llvm::StringRef Name) {
  Path::Root Root(Name);
  if (document(Doc, Path(Root)))
    return llvm::Error::success();
  return llvm::createStringError(
      "not the JSON of `awaitify check --format=json`: " +
      llvm::toString(Root.getError()));
}

} // namespace

llvm::Expected<ReportModel> readReport(llvm::ArrayRef<Value> Docs,
                                       llvm::ArrayRef<std::string> Names) {
  ReportModel M;
  Reader R(M);
  for (size_t I = 0; I < Docs.size(); ++I)
    if (llvm::Error E = R.read(Docs[I], Names[I]))
      return std::move(E);
  llvm::sort(M.Findings, [](const Finding &A, const Finding &B) {
    return std::tie(A.File, A.Line, A.Column, A.K, A.Text) <
           std::tie(B.File, B.Line, B.Column, B.K, B.Text);
  });
  return M;
}

} // namespace awaitify::cli
