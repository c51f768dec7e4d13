//===- JsonOutput.cpp - The run as one JSON document ----------------------===//
//
// `awaitify check --format=json` prints one JSON object (docs/ci.md shows it):
//
//   version    1; a field is only ever added, never renamed or removed
//   tool       {name, version}
//   summary    {files, chains, rewritable, leftAlone, errors}
//   chains     each chain: where it starts, the function, the message of the
//              text output, confidence, depth, steps, assumptions, renames,
//              `rewritable` and, when false, `dropped` (why), its edits,
//              and their `preview` (the lines they touch, before and after)
//   leftAlone  each place looked at and left alone, with the reason
//   errors     each error line
//   notes      what the build needs, each once (a flag for a library)
//
// Paths are relative to the working directory when below it (as in the text
// output), or, in portable output (--shard, --path-prefix, `awaitify
// merge`), to the base; every place also has its byte offset, and edit
// offsets and lengths are in bytes. It holds all that `awaitify merge`
// needs to rebuild the run's Report (JsonInput.cpp reads it).
//
//===----------------------------------------------------------------------===//
#include "Output.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace awaitify::cli {

static llvm::json::Object where(const Location &L) {
  return llvm::json::Object{{"file", displayPath(L.File)},
                            {"line", L.Line},
                            {"column", L.Column},
                            {"offset", L.Offset}};
}

void printJson(llvm::raw_ostream &OS, const Report &R, bool WarningsAsErrors) {
  llvm::json::Array Chains;
  for (const ChainReport &CR : R.Chains) {
    const Chain &C = CR.C;
    llvm::json::Object O = where(C.Where);
    O["check"] = CheckName;
    O["level"] = WarningsAsErrors ? "error" : "warning";
    O["function"] = C.Function;
    O["message"] = chainMessage(C);
    O["confidence"] = C.Conf.name();
    O["depth"] = C.Depth;
    llvm::json::Array Steps;
    for (const ChainStep &S : C.Steps) {
      llvm::json::Object Step = where(S.Where);
      Step["callee"] = S.Callee;
      Step["depth"] = S.Depth;
      Steps.push_back(std::move(Step));
    }
    O["steps"] = std::move(Steps);
    O["assumptions"] = llvm::json::Array(C.Assumptions);
    O["renames"] = llvm::json::Array(C.Renames);
    O["rewritable"] = CR.Dropped.empty();
    if (!CR.Dropped.empty())
      O["dropped"] = CR.Dropped;
    llvm::json::Array Edits;
    for (const clang::tooling::Replacement &E : C.Edits)
      Edits.push_back(llvm::json::Object{
          {"file", displayPath(E.getFilePath())},
          {"offset", E.getOffset()},
          {"length", E.getLength()},
          {"text", E.getReplacementText()}});
    O["edits"] = std::move(Edits);
    // For `awaitify report` (docs/report.md): the lines the edits touch,
    // before and after.
    llvm::json::Array Preview;
    for (const RewriteHunk &H : R.preview(CR))
      Preview.push_back(llvm::json::Object{{"file", displayPath(H.File)},
                                           {"line", H.Line},
                                           {"before", H.Before},
                                           {"after", H.After}});
    O["preview"] = std::move(Preview);
    Chains.push_back(std::move(O));
  }
  llvm::json::Array Skipped;
  for (const LeftAlone &S : R.Skipped) {
    llvm::json::Object O = where(S.Where);
    O["function"] = S.Function;
    O["reason"] = S.Reason;
    Skipped.push_back(std::move(O));
  }
  llvm::json::Object Doc{
      {"version", 1},
      {"tool", llvm::json::Object{{"name", "awaitify"},
                                  {"version", AWAITIFY_VERSION}}},
      {"summary", llvm::json::Object{{"files", R.Files},
                                     {"chains", R.Chains.size()},
                                     {"rewritable", R.kept()},
                                     {"leftAlone", R.Skipped.size()},
                                     {"errors", R.Errors.size()}}},
      {"chains", std::move(Chains)},
      {"leftAlone", std::move(Skipped)},
      {"errors", llvm::json::Array(R.Errors)},
      {"notes", llvm::json::Array(R.Notes)},
  };
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Doc))) << "\n";
}

} // namespace awaitify::cli
