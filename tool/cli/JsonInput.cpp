//===- JsonInput.cpp - A Report from the JSON output ----------------------===//
//
// `awaitify merge` reads the JSON reports of the shards back into Reports
// (JsonOutput.cpp writes them): every chain with its place (file, line,
// column, byte offset), function, confidence, depth, steps, assumptions,
// renames, edits and why it was dropped; the places left alone; errors;
// notes; and the number of files. What the outputs print besides (messages,
// notes, previews) follows from these.
//
//===----------------------------------------------------------------------===//
#include "Merge.h"
#include "llvm/Support/JSON.h"

namespace awaitify::cli {
namespace {

using llvm::json::Array;
using llvm::json::Object;

/// Reads one JSON document of `--format=json`; the first thing missing or
/// of the wrong type is the error.
class Reader {
public:
  std::string Missing;

  std::string text(const Object &O, llvm::StringRef Key) {
    if (auto S = O.getString(Key))
      return S->str();
    fail(Key);
    return "";
  }
  unsigned number(const Object &O, llvm::StringRef Key) {
    if (auto N = O.getInteger(Key); N && *N >= 0)
      return static_cast<unsigned>(*N);
    fail(Key);
    return 0;
  }
  const Array &array(const Object &O, llvm::StringRef Key) {
    static const Array Empty;
    if (const Array *A = O.getArray(Key))
      return *A;
    fail(Key);
    return Empty;
  }
  std::vector<std::string> texts(const Object &O, llvm::StringRef Key) {
    std::vector<std::string> Out;
    for (const llvm::json::Value &V : array(O, Key))
      if (auto S = V.getAsString())
        Out.push_back(S->str());
      else
        fail(Key);
    return Out;
  }
  /// The objects of array \p Key.
  std::vector<const Object *> objects(const Object &O, llvm::StringRef Key) {
    std::vector<const Object *> Out;
    for (const llvm::json::Value &V : array(O, Key))
      if (const Object *E = V.getAsObject())
        Out.push_back(E);
      else
        fail(Key);
    return Out;
  }
  Location location(const Object &O) {
    Location L;
    L.File = text(O, "file");
    L.Line = number(O, "line");
    L.Column = number(O, "column");
    L.Offset = number(O, "offset");
    return L;
  }

  ChainReport chain(const Object &O, bool &AsErrors) {
    ChainReport CR;
    Chain &C = CR.C;
    C.Where = location(O);
    C.FunctionWhere = C.Where;
    C.Function = text(O, "function");
    if (auto Conf = Confidence::parse(text(O, "confidence")))
      C.Conf = *Conf;
    else
      fail("confidence");
    C.Depth = number(O, "depth");
    for (const Object *S : objects(O, "steps")) {
      ChainStep Step;
      Step.Where = location(*S);
      Step.Callee = text(*S, "callee");
      Step.Depth = number(*S, "depth");
      C.Steps.push_back(std::move(Step));
    }
    C.Assumptions = texts(O, "assumptions");
    C.Renames = texts(O, "renames");
    for (const Object *E : objects(O, "edits"))
      C.Edits.emplace_back(text(*E, "file"), number(*E, "offset"),
                           number(*E, "length"), text(*E, "text"));
    C.NeedsRuntime = false;
    std::optional<bool> Rewritable = O.getBoolean("rewritable");
    if (!Rewritable)
      fail("rewritable");
    else if (!*Rewritable)
      CR.Dropped = text(O, "dropped");
    AsErrors |= O.getString("level") == llvm::StringRef("error");
    return CR;
  }

private:
  void fail(llvm::StringRef Key) {
    if (Missing.empty())
      Missing = Key.str();
  }
};

} // namespace

llvm::Expected<Report> readJsonReport(const llvm::json::Value &Doc,
                                      bool &AsErrors) {
  auto Error = [](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Why);
  };
  const Object *Root = Doc.getAsObject();
  if (!Root || Root->getInteger("version") != 1)
    return Error("not a JSON report of awaitify (version 1)");
  Reader In;
  Report R;
  if (const Object *Summary = Root->getObject("summary"))
    R.Files = In.number(*Summary, "files");
  else
    return Error("no summary");
  for (const Object *C : In.objects(*Root, "chains"))
    R.Chains.push_back(In.chain(*C, AsErrors));
  for (const Object *S : In.objects(*Root, "leftAlone")) {
    LeftAlone L;
    L.Where = In.location(*S);
    L.Function = In.text(*S, "function");
    L.Reason = In.text(*S, "reason");
    R.Skipped.push_back(std::move(L));
  }
  R.Errors = In.texts(*Root, "errors");
  R.Notes = In.texts(*Root, "notes");
  if (!In.Missing.empty())
    return Error("'" + In.Missing +
                 "' is missing or not what it should be (an awaitify older "
                 "than merge writes no offsets: run it again)");
  return R;
}

} // namespace awaitify::cli
