//===- ReportMain.cpp - The `awaitify report` command ---------------------===//
//
// `awaitify report` is `awaitify check --format=json` and a page made from
// its output: it runs this binary's check with the options it was given
// (except its own -o and --from), so the report of a run always counts
// what that run's JSON says. With --from it reads such JSON instead.
//
//===----------------------------------------------------------------------===//
#include "ReportPage.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

namespace awaitify::cli {

namespace {

const char ReportUsage[] =
    "usage: awaitify report [options of check] [files...] [-o DIR] "
    "[-- <compiler args>]\n"
    "       awaitify report --from FILE.json... [-o DIR]\n";
const char ReportHelp[] =
    "\nWrites a static HTML migration report into DIR (default "
    "awaitify-report).\n"
    "The first form runs `awaitify check --format=json` with the options "
    "given\n"
    "(`awaitify check --help` lists them); the second reads such output: one "
    "run,\n"
    "the shards of one, or their merged output. See docs/report.md.\n";

int error(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "awaitify") << Message << "\n";
  return 2;
}

struct ReportArgs {
  std::string Dir = "awaitify-report";
  bool From = false;
  /// --from: the JSON files; else the arguments of check.
  std::vector<std::string> Rest;
  bool Help = false;
};

/// Takes out report's own options; an error message, or "".
std::string parseReportArgs(int argc, const char **argv, ReportArgs &A) {
  for (int I = 2; I < argc; ++I) {
    llvm::StringRef Arg = argv[I];
    if (Arg == "--") {
      if (A.From)
        return "--from reads JSON files: there is nothing to compile";
      A.Rest.insert(A.Rest.end(), argv + I, argv + argc);
      break;
    }
    if (Arg == "-o" || Arg == "--output") {
      if (I + 1 == argc)
        return Arg.str() + " needs a folder";
      A.Dir = argv[++I];
    } else if (Arg.consume_front("-o=") || Arg.consume_front("--output=")) {
      A.Dir = Arg.str();
    } else if (Arg == "--from") {
      A.From = true;
    } else if (Arg.consume_front("--from=")) {
      A.From = true;
      A.Rest.push_back(Arg.str());
    } else if (Arg == "-h" || Arg == "--help" || Arg == "-help") {
      A.Help = true;
    } else if (Arg.starts_with("--format") || Arg.starts_with("-format")) {
      return "report reads the JSON output of check; it takes no --format";
    } else {
      A.Rest.push_back(Arg.str());
    }
  }
  if (A.From)
    for (const std::string &R : A.Rest)
      if (llvm::StringRef(R).starts_with("-"))
        return "--from reads JSON files; " + R +
               " is an option of the analysis";
  if (A.From && A.Rest.empty())
    return "--from needs the JSON files to read";
  if (A.Dir.empty())
    return "-o needs a folder";
  return "";
}

/// Runs `check --format=json` on \p Args; its JSON in \p Json, and its exit
/// status, or -1 when it could not run.
int runCheck(const char *Argv0, llvm::ArrayRef<std::string> Args,
             std::string &Json) {
  static int Anchor;
  std::string Self = llvm::sys::fs::getMainExecutable(Argv0, &Anchor);
  llvm::SmallString<128> Out;
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("awaitify-report", "json", Out)) {
    error("cannot make a temporary file: " + EC.message());
    return -1;
  }
  std::vector<llvm::StringRef> Command{Self, "check", "--format=json"};
  Command.insert(Command.end(), Args.begin(), Args.end());
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, Out.str(),
                                                std::nullopt};
  std::string Why;
  int Status = llvm::sys::ExecuteAndWait(Self, Command, std::nullopt, Redirects,
                                         0, 0, &Why);
  if (Status < 0)
    error("cannot run " + Self + " check: " + Why);
  if (auto Buffer = llvm::MemoryBuffer::getFile(Out))
    Json = (*Buffer)->getBuffer().str();
  llvm::sys::fs::remove(Out);
  return Status;
}

/// Parses each named document (\p Texts[I] was read from \p Names[I]).
llvm::Expected<ReportModel> readDocuments(llvm::ArrayRef<std::string> Texts,
                                          llvm::ArrayRef<std::string> Names) {
  std::vector<llvm::json::Value> Docs;
  for (size_t I = 0; I < Texts.size(); ++I) {
    llvm::Expected<llvm::json::Value> Doc = llvm::json::parse(Texts[I]);
    if (!Doc)
      return llvm::createStringError(
          Names[I] + ": not JSON: " + llvm::toString(Doc.takeError()));
    Docs.push_back(std::move(*Doc));
  }
  return readReport(Docs, Names);
}

} // namespace

int reportMain(int argc, const char **argv) {
  ReportArgs A;
  std::string Problem = parseReportArgs(argc, argv, A);
  if (A.Help) {
    llvm::outs() << ReportUsage << ReportHelp;
    return 0;
  }
  if (!Problem.empty()) {
    error(Problem);
    llvm::errs() << ReportUsage;
    return 2;
  }
  std::vector<std::string> Texts, Names;
  int CheckStatus = 0;
  if (A.From) {
    for (const std::string &File : A.Rest) {
      auto Buffer = llvm::MemoryBuffer::getFile(File);
      if (!Buffer)
        return error(File + ": cannot read: " + Buffer.getError().message());
      Texts.push_back((*Buffer)->getBuffer().str());
      Names.push_back(File);
    }
  } else {
    Texts.emplace_back();
    Names.push_back("the output of check");
    CheckStatus = runCheck(argv[0], A.Rest, Texts.back());
    // check said why it printed nothing (no compilation database, ...).
    if (CheckStatus < 0 || (CheckStatus == 2 && Texts.back().empty()))
      return 2;
  }
  llvm::Expected<ReportModel> M = readDocuments(Texts, Names);
  if (!M)
    return error(llvm::toString(M.takeError()));
  if (llvm::Error E = writeReportPage(A.Dir, *M))
    return error(llvm::toString(std::move(E)));
  llvm::SmallString<256> Index(A.Dir);
  llvm::sys::path::append(Index, "index.html");
  llvm::errs() << "awaitify: report written to " << Index << "\n";
  return M->Errors.empty() && CheckStatus != 2 ? 0 : 2;
}

} // namespace awaitify::cli
