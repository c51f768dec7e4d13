//===- main.cpp - The awaitify command ------------------------------------===//
//
//   awaitify check|fix|diff [options] <files...> [-- <compiler args>]
//
// check  prints what can be rewritten; exit 1 when there is something.
// fix    rewrites the files in place.
// diff   prints a unified diff of what fix would write.
//
// Exit 2, with one line naming the file and the reason, on any error (a file
// that does not parse, a missing file, a bad rule file, no compilation
// database, a file that cannot be written); nothing is written then.
//
//===----------------------------------------------------------------------===//
#include "Report.h"
#include "awaitify/Edits.h"
#include "awaitify/Runner.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <mutex>

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
    cl::desc("clang-format style used when no .clang-format is found"),
    cl::init("LLVM"), cl::cat(Category));
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
cl::opt<std::string> ResourceDir(
    "resource-dir", cl::desc("clang resource directory used when parsing"),
    cl::init(AWAITIFY_RESOURCE_DIR), cl::cat(Category));

enum class Mode { Check, Fix, Diff };

[[noreturn]] void fail(const Twine &Message) {
  WithColor::error(errs(), "awaitify") << Message << "\n";
  exit(2);
}

/// The shipped rules: next to an installed binary, else in the source tree.
std::string shippedRulesDir(const char *Argv0) {
  std::string Exe = sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&shippedRulesDir));
  SmallString<256> Installed(sys::path::parent_path(sys::path::parent_path(Exe)));
  sys::path::append(Installed, "share", "awaitify", "rewrite-rules");
  if (sys::fs::is_directory(Installed))
    return std::string(Installed);
  return AWAITIFY_SOURCE_RULES_DIR;
}

/// Edits to the files of one translation unit, applied.
std::map<std::string, std::string>
contentsFor(const cli::Report &R, const EditSet &Edits) {
  std::map<std::string, std::string> Out;
  for (const auto &[Path, Replaces] : Edits.files()) {
    auto It = R.Originals.find(Path);
    if (It == R.Originals.end())
      continue;
    auto New = clang::tooling::applyAllReplacements(It->second, Replaces);
    if (New)
      Out[Path] = *New;
    else
      consumeError(New.takeError());
  }
  return Out;
}

} // namespace

int main(int argc, const char **argv) {
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "awaitify " << AWAITIFY_VERSION << " (LLVM " << LLVM_VERSION_STRING
       << ")\n";
  });
  static const char Usage[] =
      "usage: awaitify check|fix|diff [options] <files...> [-- <compiler args>]\n";
  if (argc < 2) {
    errs() << Usage;
    return 2;
  }
  StringRef Verb = argv[1];
  Mode M;
  if (Verb == "check")
    M = Mode::Check;
  else if (Verb == "fix")
    M = Mode::Fix;
  else if (Verb == "diff")
    M = Mode::Diff;
  else if (Verb.starts_with("-")) {
    // --help / --version before any verb.
    cl::ParseCommandLineOptions(argc, argv, Usage);
    errs() << Usage;
    return 2;
  } else {
    errs() << "awaitify: error: unknown command '" << Verb << "'\n" << Usage;
    return 2;
  }
  std::vector<const char *> Args{argv[0]};
  Args.insert(Args.end(), argv + 2, argv + argc);
  int Argc = Args.size();
  std::string Overview = (Verb + ": " +
                          (M == Mode::Check  ? "report callback chains"
                           : M == Mode::Fix  ? "rewrite callback chains in place"
                                             : "print the rewrite as a diff"))
                             .str();
  // -p names a build folder: it must hold a compilation database (the
  // parser below would otherwise warn and go on without any flags).
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
  auto Parser = clang::tooling::CommonOptionsParser::create(
      Argc, Args.data(), Category, cl::ZeroOrMore, Overview.c_str());
  if (!Parser)
    fail(toString(Parser.takeError()));
  // Without a source file (and no `--`) CommonOptionsParser reads no
  // compilation database at all: read the one -p names (or the nearest
  // above the working directory) and parse again with all of its files.
  std::vector<std::string> AllFiles;
  if (Parser->getSourcePathList().empty() &&
      llvm::none_of(Args, [](StringRef A) { return A == "--"; })) {
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
    AllFiles = Db->getAllFiles();
    for (const std::string &F : AllFiles)
      Args.push_back(F.c_str());
    Argc = Args.size();
    Parser = clang::tooling::CommonOptionsParser::create(
        Argc, Args.data(), Category, cl::ZeroOrMore, Overview.c_str());
    if (!Parser)
      fail(toString(Parser.takeError()));
  }

  if (M == Mode::Diff && OutputFormat != Format::Text)
    fail("--format applies to check and fix; diff prints a diff");

  auto Confidence = Confidence::parse(MinConfidence);
  if (!Confidence)
    fail("--min-confidence must be safe, reasonable or risky, not '" +
         MinConfidence + "'");

  // Rules: shipped, then --rules in order (later ones win).
  RuleSet Rules;
  if (!NoDefaultRules)
    for (const std::string &F : listRuleFiles(shippedRulesDir(argv[0])))
      if (Error E = Rules.addFile(F))
        fail(toString(std::move(E)));
  for (const std::string &F : RuleFiles)
    if (Error E = Rules.addFile(F))
      fail(toString(std::move(E)));

  const auto &Compilations = Parser->getCompilations();
  std::vector<std::string> Files = Parser->getSourcePathList();
  if (Files.empty())
    Files = Compilations.getAllFiles();
  if (Files.empty())
    fail("no input files (name some, or point -p at a compile_commands.json)");
  for (const std::string &F : Files) {
    if (!sys::fs::exists(F))
      fail(F + ": no such file");
    auto Buffer = MemoryBuffer::getFile(F);
    if (!Buffer)
      fail(F + ": cannot read: " + Buffer.getError().message());
  }

  RunnerOptions Opts;
  Opts.Analysis.MinDepth = MinDepth;
  Opts.Analysis.MinConfidence = *Confidence;
  Opts.Analysis.FallbackStyle = FallbackStyle;
  // Plain findings need no rewrite text; fixes in JSON, SARIF or an
  // export-fixes file do.
  Opts.Analysis.ComputeEdits = M != Mode::Check ||
                               OutputFormat != Format::Text ||
                               !ExportFixes.empty();
  Opts.ResourceDir = ResourceDir;
  Opts.ProjectRules = !NoProjectRules;
  Runner Run(Compilations, Rules, Opts);

  // Analyse every translation unit, in parallel when asked.
  std::vector<TranslationUnitResult> Results(Files.size());
  bool Progress = Files.size() > 1 && sys::Process::StandardErrIsDisplayed();
  std::atomic<unsigned> Done{0};
  std::mutex ProgressMutex;
  auto AnalyzeOne = [&](size_t I) {
    Results[I] = Run.analyze(Files[I]);
    unsigned N = ++Done;
    if (Progress) {
      std::lock_guard<std::mutex> Lock(ProgressMutex);
      errs() << "\r\x1b[K[" << N << "/" << Files.size() << "] "
             << cli::displayPath(Files[I]);
    }
  };
  if (Jobs > 1 && Files.size() > 1) {
    // Each ClangTool moves the process into its compile command's directory
    // and back; threads running side by side "restore" each other's. Put
    // the working directory back, or relative paths (--export-fixes=FILE,
    // the paths we print) would be taken from a build folder.
    SmallString<256> Cwd;
    std::error_code CwdError = sys::fs::current_path(Cwd);
    DefaultThreadPool Pool(hardware_concurrency(Jobs));
    for (size_t I = 0; I < Files.size(); ++I)
      Pool.async([&, I] { AnalyzeOne(I); });
    Pool.wait();
    if (!CwdError)
      sys::fs::set_current_path(Cwd);
  } else {
    for (size_t I = 0; I < Files.size(); ++I)
      AnalyzeOne(I);
  }
  if (Progress)
    errs() << "\r\x1b[K";

  cli::Report Report;
  Report.Files = Files.size();
  for (const TranslationUnitResult &R : Results) {
    if (!R.Error.empty())
      Report.Errors.push_back(R.Error);
    else
      Report.add(R.Analysis);
  }

  // Accept each chain's edits unless they conflict with edits already taken.
  for (cli::ChainReport &CR : Report.Chains) {
    std::string Why;
    if (Report.Edits.addChain(CR.C.Edits, &Why) == EditSet::AddResult::Conflict)
      CR.Dropped = "its edits conflict with another chain's: " + Why;
    for (const auto &E : CR.C.Edits) {
      std::string Path = E.getFilePath().str();
      if (!Report.Originals.count(Path))
        if (auto Buffer = MemoryBuffer::getFile(Path))
          Report.Originals[Path] = (*Buffer)->getBuffer().str();
    }
  }

  // Never write code that does not compile: re-parse every translation unit
  // that reads an edited file, and drop the chains that break it.
  if ((M != Mode::Check || !ExportFixes.empty()) && !NoVerify &&
      Report.Errors.empty() &&
      !Report.Edits.empty()) {
    auto Rebuild = [&](const std::vector<bool> &Keep) {
      EditSet Set;
      for (size_t I = 0; I < Report.Chains.size(); ++I)
        if (Keep[I] && Report.Chains[I].Dropped.empty())
          Set.addChain(Report.Chains[I].C.Edits);
      return Set;
    };
    std::vector<bool> Keep(Report.Chains.size(), true);
    auto Touches = [&](const TranslationUnitResult &TU, const Chain &C) {
      for (const auto &E : C.Edits)
        if (llvm::is_contained(TU.Inputs, E.getFilePath()))
          return true;
      return false;
    };
    for (const TranslationUnitResult &TU : Results) {
      std::vector<size_t> Involved;
      for (size_t I = 0; I < Report.Chains.size(); ++I)
        if (Keep[I] && Report.Chains[I].Dropped.empty() &&
            Touches(TU, Report.Chains[I].C))
          Involved.push_back(I);
      if (Involved.empty())
        continue;
      auto Error = Run.verify(TU.File, contentsFor(Report, Rebuild(Keep)));
      if (!Error)
        continue;
      // Keep the chains that compile on their own, one at a time.
      for (size_t I : Involved)
        Keep[I] = false;
      for (size_t I : Involved) {
        Keep[I] = true;
        if (auto E = Run.verify(TU.File, contentsFor(Report, Rebuild(Keep)))) {
          Keep[I] = false;
          Report.Chains[I].Dropped =
              "the rewritten code does not compile: " + *E;
        }
      }
    }
    Report.Edits = Rebuild(Keep);
  }

  // Output.
  if (OutputFormat == Format::Json)
    cli::printJson(outs(), Report, WarningsAsErrors);
  else if (OutputFormat == Format::Sarif)
    cli::printSarif(outs(), Report, WarningsAsErrors);
  else
    cli::printText(outs(), Report, Explain, WarningsAsErrors);
  if (!ExportFixes.empty())
    if (Error E = cli::writeExportFixes(ExportFixes, Report, WarningsAsErrors))
      fail(ExportFixes + ": " + toString(std::move(E)));
  for (const std::string &E : Report.Errors)
    WithColor::error(errs(), "awaitify") << E << "\n";

  if (M == Mode::Diff)
    for (const auto &[Path, Replaces] : Report.Edits.files())
      outs() << unifiedDiff(cli::displayPath(Path), Report.Originals[Path],
                            Replaces);

  // The closing summary: what this run did, counted once it is done.
  auto Summary = [&](unsigned Fixed, unsigned Errors) {
    if (M != Mode::Fix && Report.Files <= 1)
      return;
    errs() << "awaitify: " << Report.Files
           << (Report.Files == 1 ? " file, " : " files, ")
           << Report.Chains.size() << " chains found, " << Fixed
           << " fixed, " << Report.Skipped.size() + Report.Chains.size() - Report.kept()
           << " left alone, " << Errors
           << " errors\n";
  };
  if (!Report.Errors.empty()) {
    Summary(0, Report.Errors.size());
    return 2;
  }

  if (M == Mode::Fix) {
    // Check every file can be written before writing any.
    std::map<std::string, std::string> New = contentsFor(Report, Report.Edits);
    auto WriteError = [&](const Twine &Message) {
      WithColor::error(errs(), "awaitify") << Message << "\n";
      Summary(0, 1);
      return 2;
    };
    for (const auto &[Path, Text] : New)
      if (sys::fs::access(Path, sys::fs::AccessMode::Write) ||
          sys::fs::access(sys::path::parent_path(Path),
                          sys::fs::AccessMode::Write))
        return WriteError(cli::displayPath(Path) + ": cannot write the file");
    for (const auto &[Path, Text] : New)
      if (Error E = writeFileAtomically(Path, Text))
        return WriteError(cli::displayPath(Path) +
                          ": cannot write: " + toString(std::move(E)));
    Summary(Report.kept(), 0);
    return WarningsAsErrors && !Report.Chains.empty() ? 1 : 0;
  }
  Summary(0, 0);
  if (M == Mode::Diff)
    return Report.Edits.empty() ? 0 : 1;
  return Report.kept() ? 1 : 0;
}
