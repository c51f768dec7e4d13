//===- Merge.cpp - awaitify merge: the outputs of shards into one ---------===//
//
//   awaitify merge [--format=json|sarif|export-fixes|text] [-o FILE]
//                  [--path-prefix=DIR | -p BUILD] [--warnings-as-errors]
//                  INPUT...
//
// Inputs are the outputs of `awaitify check|fix --shard=K/N`, all of one
// kind: JSON reports (--format=json), which merge into any format, as one
// run over all the files would print it; SARIF logs, which merge into one
// log with one run; or fixes YAML (--export-fixes), which merge into one
// fixes file. The output is sorted and names no folder of this machine, so
// the same inputs give the same bytes in any order, on any machine.
//
// The base (--path-prefix, else the folder of compile_commands.json above
// -p, else the working directory) is where the files are read from (the
// original text, for the previews and the SARIF columns) and what the fixes
// YAML's build directory names.
//
// When the shards disagree -- a chain that one shard rewrote and the merge
// does not (another shard rewrote it differently, or could not rewrite it),
// or edits that conflict -- each is named on stderr.
//
// Exit status, as `check` over all the files: 0 when there is no chain, 1
// when there are chains, 2 when a shard could not analyse a file (the
// output is written) or on an error of the merge (an input that cannot be
// read, inputs of different kinds, a format the inputs cannot give, fixes
// files that disagree: nothing is written).
//
//===----------------------------------------------------------------------===//
#include "Merge.h"
#include "Output.h"
#include "Shards.h"
#include "awaitify/Driver.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"
#include <map>
#include <set>

namespace awaitify::cli {
namespace {

const char MergeUsage[] =
    "usage: awaitify merge [--format=json|sarif|export-fixes|text] [-o FILE]\n"
    "                      [--path-prefix=DIR | -p BUILD] "
    "[--warnings-as-errors] INPUT...\n"
    "Merges the outputs of `awaitify check|fix --shard=K/N` (all JSON, all\n"
    "SARIF or all fixes YAML) into what one run prints (docs/ci.md).\n";

struct MergeOptions {
  std::string Format; ///< empty: the kind of the inputs
  std::string Output = "-";
  std::string PathPrefix;
  std::string BuildPath;
  bool AsErrors = false;
  std::vector<std::string> Inputs;
};

[[noreturn]] void failMerge(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "awaitify merge") << Message << "\n";
  exit(2);
}

MergeOptions parseMergeArgs(int argc, const char **argv) {
  MergeOptions O;
  bool OnlyInputs = false;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef A = argv[I];
    auto Value = [&](llvm::StringRef Name, std::string &Into) {
      if (A.consume_front(Name)) {
        if (A.consume_front("="))
          Into = A.str();
        else if (A.empty() && I + 1 < argc)
          Into = argv[++I];
        else
          failMerge(Name + " needs a value");
        return true;
      }
      return false;
    };
    if (OnlyInputs || !A.starts_with("-") || A == "-") {
      O.Inputs.push_back(A.str());
    } else if (A == "--") {
      OnlyInputs = true;
    } else if (A == "--help" || A == "-help" || A == "-h") {
      llvm::outs() << MergeUsage;
      exit(0);
    } else if (A == "--warnings-as-errors") {
      O.AsErrors = true;
    } else if (!Value("--format", O.Format) && !Value("-o", O.Output) &&
               !Value("--path-prefix", O.PathPrefix) &&
               !Value("-p", O.BuildPath)) {
      llvm::errs() << MergeUsage;
      failMerge("unknown option '" + A + "'");
    }
  }
  if (O.Inputs.empty()) {
    llvm::errs() << MergeUsage;
    failMerge("no inputs");
  }
  return O;
}

enum class Kind { Report, Sarif, Fixes };

Kind kindOf(llvm::StringRef Text, std::optional<llvm::json::Value> &Doc) {
  if (!Text.ltrim().starts_with("{"))
    return Kind::Fixes;
  auto Parsed = llvm::json::parse(Text);
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return Kind::Fixes; // YAML is a superset of JSON; its parser says why
  }
  Doc = std::move(*Parsed);
  const llvm::json::Object *O = Doc->getAsObject();
  return O && O->get("runs") ? Kind::Sarif : Kind::Report;
}

/// The original text of each file the chains of \p R edit, read below
/// \p Base (previews and SARIF columns are counted in it).
void readOriginals(Report &R, const PathBase &Base) {
  for (const ChainReport &CR : R.Chains)
    for (const clang::tooling::Replacement &E : CR.C.Edits) {
      std::string Path = E.getFilePath().str();
      if (R.Originals.count(Path))
        continue;
      if (auto Buffer = llvm::MemoryBuffer::getFile(Base.resolve(Path)))
        R.Originals[Path] = (*Buffer)->getBuffer().str();
    }
}

/// Prints the merged Report in \p Format.
void printMerged(llvm::raw_ostream &OS, llvm::StringRef Format, const Report &R,
                 const PathBase &Base, bool AsErrors) {
  if (Format == "json")
    printJson(OS, R, AsErrors);
  else if (Format == "sarif")
    printSarif(OS, R, AsErrors, Base.dir());
  else if (Format == "text")
    printText(OS, R, /*Explain=*/false, AsErrors);
  else if (llvm::Error E =
               printExportFixes(OS, R, AsErrors, Base.fromWorkingDirectory()))
    failMerge(toString(std::move(E)));
}

/// Merges \p Inputs of one kind into \p OS, adding to \p Conflicts; the
/// exit status of `check` over what it merged: 2 when it holds errors, 1
/// when it holds chains, else 0.
int mergeInto(llvm::raw_ostream &OS, const MergeOptions &O, Kind K,
              const std::vector<MergeInput> &Inputs,
              std::vector<llvm::json::Value> &Docs, const PathBase &Base,
              std::vector<std::string> &Conflicts) {
  if (K == Kind::Fixes) {
    auto Diagnostics = mergeFixes(Inputs, Base, OS, Conflicts);
    if (!Diagnostics)
      failMerge(toString(Diagnostics.takeError()));
    return *Diagnostics ? 1 : 0;
  }
  if (K == Kind::Sarif) {
    std::vector<std::pair<std::string, llvm::json::Value>> Logs;
    for (size_t I = 0; I < Inputs.size(); ++I)
      Logs.emplace_back(Inputs[I].Name, std::move(Docs[I]));
    bool Successful = true;
    size_t Results = 0;
    auto Log = mergeSarif(Logs, Conflicts, Successful, Results);
    if (!Log)
      failMerge(toString(Log.takeError()));
    OS << llvm::formatv("{0:2}", *Log) << "\n";
    return !Successful ? 2 : Results ? 1 : 0;
  }
  std::vector<Report> Reports;
  bool AsErrors = O.AsErrors;
  for (size_t I = 0; I < Inputs.size(); ++I) {
    auto R = readJsonReport(Docs[I], AsErrors);
    if (!R)
      failMerge(Inputs[I].Name + ": " + toString(R.takeError()));
    Reports.push_back(std::move(*R));
  }
  Report R = mergeReports(std::move(Reports), Conflicts);
  readOriginals(R, Base);
  printMerged(OS, O.Format, R, Base, AsErrors);
  return !R.Errors.empty() ? 2 : R.Chains.empty() ? 0 : 1;
}

} // namespace

int runMerge(int argc, const char **argv) {
  MergeOptions O = parseMergeArgs(argc, argv);
  // Sorted by their text, the inputs merge the same in any order.
  std::vector<MergeInput> Inputs;
  for (const std::string &Name : O.Inputs) {
    auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(Name);
    if (!Buffer)
      failMerge(Name + ": cannot read: " + Buffer.getError().message());
    Inputs.push_back({Name, (*Buffer)->getBuffer().str()});
  }
  llvm::sort(Inputs, [](const MergeInput &A, const MergeInput &B) {
    return std::tie(A.Text, A.Name) < std::tie(B.Text, B.Name);
  });
  std::vector<llvm::json::Value> Docs;
  std::optional<Kind> K;
  for (const MergeInput &In : Inputs) {
    std::optional<llvm::json::Value> Doc;
    Kind This = kindOf(In.Text, Doc);
    if (K && *K != This)
      failMerge(In.Name + ": not of the kind of the other inputs (all JSON "
                          "reports, all SARIF logs or all fixes YAML)");
    K = This;
    Docs.push_back(Doc ? std::move(*Doc) : llvm::json::Value(nullptr));
  }
  llvm::StringRef Natural = *K == Kind::Report  ? "json"
                            : *K == Kind::Sarif ? "sarif"
                                                : "export-fixes";
  if (O.Format.empty())
    O.Format = Natural.str();
  if (!llvm::is_contained({"json", "sarif", "export-fixes", "text"}, O.Format))
    failMerge("--format must be json, sarif, export-fixes or text, not '" +
              O.Format + "'");
  if (*K != Kind::Report && O.Format != Natural)
    failMerge("--format=" + O.Format + " needs JSON reports as inputs; " +
              Natural + " inputs merge into " + Natural);
  std::string BaseDir = O.PathPrefix;
  if (BaseDir.empty() && !O.BuildPath.empty())
    BaseDir = databaseFolder(O.BuildPath);
  PathBase Base(BaseDir.empty() ? "." : BaseDir);

  std::string Text;
  llvm::raw_string_ostream OS(Text);
  std::vector<std::string> Conflicts;
  int Status = mergeInto(OS, O, *K, Inputs, Docs, Base, Conflicts);
  for (const std::string &C : Conflicts)
    (*K == Kind::Fixes
         ? llvm::WithColor::error(llvm::errs(), "awaitify merge")
         : llvm::WithColor::warning(llvm::errs(), "awaitify merge"))
        << C << "\n";
  if (*K == Kind::Fixes && !Conflicts.empty()) {
    llvm::errs() << "awaitify merge: nothing written: the fixes of the shards "
                    "disagree. Merge their JSON reports instead (--format=json "
                    "shards): that leaves such a chain alone, as one run "
                    "does\n";
    return 2;
  }
  if (O.Output == "-") {
    llvm::outs() << Text;
  } else if (llvm::Error E = writeFileAtomically(O.Output, Text)) {
    failMerge(O.Output + ": cannot write: " + toString(std::move(E)));
  }
  return Status;
}

/// Whether two versions of a chain rewrite it the same way.
static bool sameEdits(const Chain &A, const Chain &B) {
  return A.Edits.size() == B.Edits.size() &&
         std::equal(A.Edits.begin(), A.Edits.end(), B.Edits.begin());
}

Report mergeReports(std::vector<Report> Inputs,
                    std::vector<std::string> &Conflicts) {
  const std::string ConflictReason = "its edits conflict with another chain's";
  const std::string Differently =
      "two translation units rewrite it differently";
  Report M;
  std::map<std::pair<std::string, unsigned>, size_t> ChainAt;
  std::set<std::pair<std::string, unsigned>> KeptByAShard;
  std::set<std::tuple<std::string, unsigned, std::string>> Skips;
  for (Report &In : Inputs) {
    M.Files += In.Files;
    for (ChainReport &CR : In.Chains) {
      std::pair<std::string, unsigned> Key{CR.C.Where.File, CR.C.Where.Offset};
      if (CR.Dropped.empty())
        KeptByAShard.insert(Key);
      // Conflicts between chains are settled again, over all of them.
      if (llvm::StringRef(CR.Dropped).starts_with(ConflictReason))
        CR.Dropped.clear();
      auto [It, New] = ChainAt.try_emplace(Key, M.Chains.size());
      if (New) {
        M.Chains.push_back(std::move(CR));
        continue;
      }
      ChainReport &Known = M.Chains[It->second];
      if (!sameEdits(Known.C, CR.C) && Known.Dropped.empty())
        Known.Dropped = Differently;
      else if (Known.Dropped.empty())
        Known.Dropped = CR.Dropped;
    }
    for (LeftAlone &S : In.Skipped)
      if (Skips.insert({S.Where.File, S.Where.Offset, S.Reason}).second)
        M.Skipped.push_back(std::move(S));
    llvm::append_range(M.Errors, In.Errors);
    for (std::string &N : In.Notes)
      if (!llvm::is_contained(M.Notes, N))
        M.Notes.push_back(std::move(N));
  }
  sortReport(M);
  // As one run accepts the edits: in the order of the chains, a chain whose
  // edits overlap different ones already taken is not rewritten.
  EditSet Accepted;
  for (ChainReport &CR : M.Chains) {
    std::string Why;
    if (Accepted.addChain(CR.C.Edits, &Why) == EditSet::AddResult::Conflict)
      CR.Dropped = ConflictReason + ": " + Why;
  }
  keepOnly(M, std::vector<bool>(M.Chains.size(), true));
  for (const ChainReport &CR : M.Chains)
    if (!CR.Dropped.empty() &&
        KeptByAShard.count({CR.C.Where.File, CR.C.Where.Offset}))
      Conflicts.push_back(llvm::formatv(
          "{0}:{1}:{2}: '{3}' is left alone, though a shard rewrote it (do "
          "not apply that shard's fixes alone): {4}",
          CR.C.Where.File, CR.C.Where.Line, CR.C.Where.Column, CR.C.Function,
          CR.Dropped));
  return M;
}

} // namespace awaitify::cli
