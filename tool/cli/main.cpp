//===- main.cpp - The awaitify command ------------------------------------===//
//
//   awaitify check|fix|diff [options] <files...> [-- <compiler args>]
//
// check  prints what can be rewritten; exit 1 when there is something.
// fix    rewrites the files in place; exit 1 when a chain it found was not
//        rewritten (its rewrite would not compile), else 0.
// diff   prints a unified diff of what fix would write.
// report writes a static HTML migration report (ReportPage.h).
// merge  puts the outputs of shards (--shard=K/N) together (Merge.cpp).
//
// Exit 2, with one line naming the file and the reason, on any error (a file
// that does not parse, a missing file, a bad rule file, no compilation
// database, a file that cannot be written or is read-only); nothing is
// written then.
//
//===----------------------------------------------------------------------===//
#include "Output.h"
#include "ReportPage.h"
#include "Shards.h"
#include "awaitify/Driver.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace awaitify;

namespace {

cl::OptionCategory Category("awaitify options");

cl::list<std::string> RuleFiles("rules", cl::desc("A rule file (repeatable)"),
                                cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> NoDefaultRules(
    "no-default-rules",
    cl::desc("Do not load the shipped rewrite-rules/*.yaml"), cl::cat(Category));
cl::opt<bool> NoProjectRules(
    "no-project-rules",
    cl::desc("Do not look for .awaitify.yaml next to the sources"),
    cl::cat(Category));
cl::opt<std::string> MinConfidence(
    "min-confidence",
    cl::desc("Rewrite only chains at least this sure: safe|reasonable|risky"),
    cl::init("reasonable"), cl::cat(Category));
cl::opt<unsigned> MinDepth(
    "min-depth", cl::desc("Report chains at least this deeply nested"),
    cl::init(2), cl::cat(Category));
cl::opt<bool> Explain("explain",
                      cl::desc("Say, for each chain left alone, why"),
                      cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Translation units analysed in parallel"),
                       cl::init(1), cl::cat(Category));
cl::opt<bool> NoVerify(
    "no-verify",
    cl::desc("Do not re-parse rewritten files before writing (faster, unsafe)"),
    cl::Hidden, cl::cat(Category));
cl::opt<std::string> FallbackStyle(
    "fallback-style",
    cl::desc("clang-format style used when no .clang-format is found "
             "(default: the style the file is written in)"),
    cl::cat(Category));
enum class Format { Text, Json, Sarif };
cl::opt<Format> OutputFormat(
    "format", cl::desc("How to print the findings (docs/ci.md)"),
    cl::values(clEnumValN(Format::Text, "text", "clang-style diagnostics"),
               clEnumValN(Format::Json, "json", "one JSON document"),
               clEnumValN(Format::Sarif, "sarif", "SARIF 2.1.0")),
    cl::init(Format::Text), cl::cat(Category));
cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the rewrite as clang-tidy fixes YAML, for "
             "clang-apply-replacements"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> WarningsAsErrors(
    "warnings-as-errors",
    cl::desc("Report chains as errors (json, sarif, export-fixes) and exit 1 "
             "when there are any, also after fix"),
    cl::cat(Category));
cl::opt<std::string>
    Shard("shard",
          cl::desc("Analyse only shard K of N of the files: the same split on "
                   "every machine (docs/ci.md); output is portable"),
          cl::value_desc("K/N"), cl::cat(Category));
cl::opt<std::string>
    ListShard("list-shard",
              cl::desc("Print the files of shard K of N, one a line"),
              cl::value_desc("K/N"), cl::cat(Category));
cl::opt<std::string> PathPrefix(
    "path-prefix",
    cl::desc("Print paths relative to this folder, and split shards by "
             "them (default with --shard: the folder of "
             "compile_commands.json); output is portable"),
    cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> ResourceDir(
    "resource-dir", cl::desc("clang resource directory used when parsing"),
    cl::init(AWAITIFY_RESOURCE_DIR), cl::cat(Category));

enum class Mode { Check, Fix, Diff };

[[noreturn]] void fail(const Twine &Message) {
  WithColor::error(errs(), "awaitify") << Message << "\n";
  exit(2);
}

const char Usage[] =
    "usage: awaitify check|fix|diff [options] <files...> [-- <compiler args>]\n"
    "       awaitify merge [options] <outputs of shards...>\n";

/// The verb; exits for --help, --version and anything else.
Mode parseVerb(int argc, const char **argv) {
  if (argc < 2) {
    errs() << Usage;
    exit(2);
  }
  StringRef Verb = argv[1];
  if (Verb == "check")
    return Mode::Check;
  if (Verb == "fix")
    return Mode::Fix;
  if (Verb == "diff")
    return Mode::Diff;
  if (Verb.starts_with("-")) // --help / --version before any verb
    cl::ParseCommandLineOptions(argc, argv, Usage);
  else
    errs() << "awaitify: error: unknown command '" << Verb << "'\n";
  errs() << Usage;
  exit(2);
}

/// -p names a build folder: it must hold a compilation database (the
/// parser would otherwise warn and go on without any flags).
void checkBuildFolders(ArrayRef<const char *> Args) {
  for (size_t I = 1; I < Args.size(); ++I) {
    StringRef A = Args[I];
    if (A == "--")
      break;
    std::string Dir;
    if ((A == "-p" || A == "--p") && I + 1 < Args.size())
      Dir = Args[I + 1];
    else if (A.starts_with("-p=") || A.starts_with("--p="))
      Dir = A.split('=').second.str();
    else
      continue;
    std::string Why;
    if (!clang::tooling::CompilationDatabase::loadFromDirectory(Dir, Why))
      fail(Dir + ": no compile_commands.json there (-p names the build folder "
                 "that holds it)");
  }
}

/// The options after the verb, and the compilation database they name.
clang::tooling::CommonOptionsParser parseOptions(Mode M, int argc,
                                                 const char **argv) {
  std::vector<const char *> Args{argv[0]};
  Args.insert(Args.end(), argv + 2, argv + argc);
  std::string Overview =
      std::string(argv[1]) + ": " +
      (M == Mode::Check  ? "report callback chains"
       : M == Mode::Fix  ? "rewrite callback chains in place"
                         : "print the rewrite as a diff");
  checkBuildFolders(Args);
  auto Parse = [&] {
    int Argc = Args.size();
    auto Parser = clang::tooling::CommonOptionsParser::create(
        Argc, Args.data(), Category, cl::ZeroOrMore, Overview.c_str());
    if (!Parser)
      fail(toString(Parser.takeError()));
    return std::move(*Parser);
  };
  auto Parser = Parse();
  if (!Parser.getSourcePathList().empty() ||
      llvm::any_of(Args, [](StringRef A) { return A == "--"; }))
    return Parser;
  // Without a source file (and no `--`) CommonOptionsParser reads no
  // compilation database at all: read the one -p names (or the nearest
  // above the working directory) and parse again with all of its files.
  auto *BuildPath = static_cast<cl::opt<std::string> *>(
      cl::getRegisteredOptions().lookup("p"));
  std::string Dir = BuildPath && !BuildPath->getValue().empty()
                        ? BuildPath->getValue()
                        : std::string(".");
  std::string Why;
  auto Db =
      clang::tooling::CompilationDatabase::autoDetectFromDirectory(Dir, Why);
  if (!Db)
    fail("no input files, and no compile_commands.json in '" + Dir +
         "' or above (name files, or point -p at the build folder)");
  std::vector<std::string> AllFiles = Db->getAllFiles();
  for (const std::string &F : AllFiles)
    Args.push_back(F.c_str());
  return Parse();
}

/// The value of -p ("" without it).
std::string buildPath() {
  auto *BuildPath = static_cast<cl::opt<std::string> *>(
      cl::getRegisteredOptions().lookup("p"));
  return BuildPath ? BuildPath->getValue() : "";
}

/// What portable output is relative to (Shards.h); none unless asked for.
std::optional<cli::PathBase> portableBase() {
  if (Shard.empty() && ListShard.empty() && PathPrefix.empty())
    return std::nullopt;
  if (!PathPrefix.empty()) {
    if (!sys::fs::is_directory(PathPrefix))
      fail("--path-prefix=" + PathPrefix + ": no such folder");
    return cli::PathBase(PathPrefix);
  }
  std::string Db = cli::databaseFolder(buildPath());
  return cli::PathBase(Db.empty() ? "." : Db);
}

/// The files of the shard --shard (or --list-shard) names, after listing
/// them for --list-shard (and exiting).
std::vector<std::string> shardFiles(std::vector<std::string> Files,
                                    const cli::PathBase &Base) {
  for (cl::opt<std::string> *Opt : {&ListShard, &Shard}) {
    if (Opt->empty())
      continue;
    auto S = cli::parseShard(*Opt);
    if (!S)
      fail("--" + Opt->ArgStr + ": " + toString(S.takeError()));
    Files = cli::filesOfShard(Files, Base, *S);
    if (Opt != &ListShard)
      return Files;
    for (const std::string &F : Files) {
      SmallString<256> Abs(F);
      sys::fs::make_absolute(Abs);
      outs() << Base.relative(Abs) << "\n";
    }
    exit(0);
  }
  return Files;
}

/// The files to analyse (those of the shard with --shard), each of which
/// must be readable.
std::vector<std::string> inputFiles(clang::tooling::CommonOptionsParser &Parser,
                                    const std::optional<cli::PathBase> &Base) {
  std::vector<std::string> Files = Parser.getSourcePathList();
  if (Files.empty())
    Files = Parser.getCompilations().getAllFiles();
  if (Files.empty())
    fail("no input files (name some, or point -p at a compile_commands.json)");
  if (Base)
    Files = shardFiles(std::move(Files), *Base);
  for (const std::string &F : Files) {
    if (!sys::fs::exists(F))
      fail(F + ": no such file");
    if (auto Buffer = MemoryBuffer::getFile(F); !Buffer)
      fail(F + ": cannot read: " + Buffer.getError().message());
  }
  return Files;
}

DriverOptions driverOptions(Mode M, const std::optional<cli::PathBase> &Base) {
  auto Confidence = Confidence::parse(MinConfidence);
  if (!Confidence)
    fail("--min-confidence must be safe, reasonable or risky, not '" +
         MinConfidence + "'");
  DriverOptions Opts;
  Opts.Run.Analysis.MinDepth = MinDepth;
  Opts.Run.Analysis.MinConfidence = *Confidence;
  Opts.Run.Analysis.FallbackStyle = FallbackStyle;
  // Plain findings need no rewrite text; fixes in JSON, SARIF or an
  // export-fixes file do, and what is written or exported is verified.
  bool Exports = !ExportFixes.empty();
  Opts.Run.Analysis.ComputeEdits =
      M != Mode::Check || OutputFormat != Format::Text || Exports;
  Opts.Run.ResourceDir = ResourceDir;
  Opts.Run.ProjectRules = !NoProjectRules;
  Opts.Jobs = Jobs;
  // Portable output is made to be merged into fixes: its rewrites are
  // verified, and it does not depend on the order of the files.
  Opts.Verify = (M != Mode::Check || Exports || Base) && !NoVerify;
  if (Base)
    Opts.OrderKey = [B = *Base](StringRef P) {
      SmallString<256> Abs(P);
      sys::fs::make_absolute(Abs);
      return B.relative(Abs);
    };
  return Opts;
}

/// Prints \p Run, made portable (relative to \p Base, sorted) when there
/// is one.
void printReport(Mode M, const Report &Run,
                 const std::optional<cli::PathBase> &Base) {
  Report Portable = Base ? cli::portableReport(Run, *Base) : Report();
  const Report &R = Base ? Portable : Run;
  std::string BaseDir = Base ? Base->dir() : "";
  if (OutputFormat == Format::Json)
    cli::printJson(outs(), R, WarningsAsErrors);
  else if (OutputFormat == Format::Sarif)
    cli::printSarif(outs(), R, WarningsAsErrors, BaseDir);
  else
    cli::printText(outs(), R, Explain, WarningsAsErrors);
  if (!ExportFixes.empty())
    if (Error E =
            cli::writeExportFixes(ExportFixes, R, WarningsAsErrors,
                                  Base ? Base->fromWorkingDirectory() : ""))
      fail(ExportFixes + ": " + toString(std::move(E)));
  for (const std::string &E : R.Errors)
    WithColor::error(errs(), "awaitify") << E << "\n";
  if (M == Mode::Diff)
    for (const auto &[Path, Replaces] : R.Edits.files())
      outs() << unifiedDiff(cli::displayPath(Path), R.Originals.at(Path),
                            Replaces);
}

/// The closing summary: what this run did, counted once it is done. Chains
/// found but not rewritten (their rewrite would not compile, or two
/// rewrites of them disagree) are counted when there are any.
void summarize(Mode M, const Report &R, unsigned Fixed, unsigned Errors) {
  if (M != Mode::Fix && R.Files <= 1)
    return;
  size_t NotRewritten = R.Chains.size() - R.kept();
  errs() << "awaitify: " << R.Files << (R.Files == 1 ? " file, " : " files, ")
         << R.Chains.size() << " chains found, " << Fixed << " fixed, ";
  if (NotRewritten)
    errs() << NotRewritten << " not rewritten, ";
  errs() << R.Skipped.size() << " left alone, " << Errors << " errors\n";
}

/// Why \p Path cannot be rewritten in place, or "" when it can. A file no
/// one may write by its permission bits is left alone even when this
/// process could replace it (as root).
StringRef whyUnwritable(StringRef Path) {
  if (isReadOnly(Path))
    return "the file is read-only";
  if (sys::fs::access(Path, sys::fs::AccessMode::Write) ||
      sys::fs::access(sys::path::parent_path(Path), sys::fs::AccessMode::Write))
    return "cannot write the file";
  return "";
}

/// Writes every edited file, after checking that each can be written; the
/// lines the edits add follow the file's line ending. Exit 2, writing
/// nothing, when a file cannot be written; 1 when a chain found was not
/// rewritten (or with --warnings-as-errors, when there were chains); else 0.
int writeFixes(const Report &R) {
  unsigned Errors = 0;
  auto Fail = [&](StringRef Path, const Twine &Message) {
    WithColor::error(errs(), "awaitify")
        << cli::displayPath(Path) << ": " << Message << "\n";
    ++Errors;
  };
  std::map<std::string, std::string> New;
  for (const auto &[Path, Replaces] : R.Edits.files()) {
    auto Original = R.Originals.find(Path);
    if (Original == R.Originals.end()) {
      Fail(Path, "cannot read the file");
      continue;
    }
    auto Text = clang::tooling::applyAllReplacements(
        Original->second, inLineEndingOf(Original->second, Replaces));
    if (!Text)
      Fail(Path, "cannot apply the edits: " + toString(Text.takeError()));
    else if (StringRef Why = whyUnwritable(Path); !Why.empty())
      Fail(Path, Why);
    else
      New[Path] = std::move(*Text);
  }
  for (auto It = New.begin(); !Errors && It != New.end(); ++It)
    if (Error E = writeFileAtomically(It->first, It->second))
      Fail(It->first, "cannot write: " + toString(std::move(E)));
  if (Errors) {
    summarize(Mode::Fix, R, 0, Errors);
    return 2;
  }
  summarize(Mode::Fix, R, R.kept(), 0);
  if (R.kept() < R.Chains.size())
    return 1;
  return WarningsAsErrors && !R.Chains.empty() ? 1 : 0;
}

} // namespace

int main(int argc, const char **argv) {
  if (argc > 1 && StringRef(argv[1]) == "merge")
    return cli::runMerge(argc - 1, argv + 1);
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "awaitify " << AWAITIFY_VERSION << " (LLVM " << LLVM_VERSION_STRING
       << ")\n";
  });
  if (argc > 1 && StringRef(argv[1]) == "report") // docs/report.md
    return cli::reportMain(argc, argv);
  Mode M = parseVerb(argc, argv);
  auto Parser = parseOptions(M, argc, argv);
  if (M == Mode::Diff && OutputFormat != Format::Text)
    fail("--format applies to check and fix; diff prints a diff");
  std::optional<cli::PathBase> Base = portableBase();
  DriverOptions Opts = driverOptions(M, Base);
  auto Rules = loadRules(!NoDefaultRules, RuleFiles);
  if (!Rules)
    fail(toString(Rules.takeError()));
  std::vector<std::string> Files = inputFiles(Parser, Base);
  bool Progress = Files.size() > 1 && sys::Process::StandardErrIsDisplayed();
  if (Progress)
    Opts.Progress = [](unsigned Done, unsigned Total, StringRef File) {
      errs() << "\r\x1b[K[" << Done << "/" << Total << "] "
             << cli::displayPath(File);
    };
  Report R = runDriver(Parser.getCompilations(), std::move(*Rules), Files, Opts);
  if (Progress)
    errs() << "\r\x1b[K";
  printReport(M, R, Base);
  if (!R.Errors.empty()) {
    summarize(M, R, 0, R.Errors.size());
    return 2;
  }
  if (M == Mode::Fix)
    return writeFixes(R);
  summarize(M, R, 0, 0);
  if (M == Mode::Diff)
    return R.Edits.empty() ? 0 : 1;
  return R.kept() ? 1 : 0;
}
