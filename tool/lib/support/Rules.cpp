//===- Rules.cpp - Reading rule files -------------------------------------===//
#include "awaitify/Rules.h"
#include "dialect/Dialect.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"
#include <algorithm>

using namespace llvm;

namespace {
// The YAML shape of a rule file. Kept apart from ApiRule so that the file
// format (strings such as "last") can differ from the in-memory model.
struct RawApi {
  std::string Name;
  std::string Callback = "last";
  std::string Await = "generic";
  std::string Completes = "any";
};
struct RawRuleFile {
  std::vector<RawApi> Apis;
};
} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(RawApi)

namespace llvm::yaml {
template <> struct MappingTraits<RawApi> {
  static void mapping(IO &IO, RawApi &Api) {
    IO.mapRequired("name", Api.Name);
    IO.mapOptional("callback", Api.Callback, std::string("last"));
    IO.mapOptional("await", Api.Await, std::string("generic"));
    IO.mapOptional("completes", Api.Completes, std::string("any"));
  }
  static std::string validate(IO &, RawApi &Api) {
    if (Api.Name.empty())
      return "'name' must not be empty";
    if (Api.Callback != "last" &&
        !std::all_of(Api.Callback.begin(), Api.Callback.end(), ::isdigit))
      return "'callback' must be 'last' or a parameter index, not '" +
             Api.Callback + "'";
    if (!awaitify::detail::findDialect(Api.Await))
      return "'await' must be " + awaitify::detail::dialectNames() +
             ", not '" + Api.Await + "'";
    if (Api.Completes != "any" && Api.Completes != "later")
      return "'completes' must be 'any' or 'later', not '" + Api.Completes +
             "'";
    return "";
  }
};
template <> struct MappingTraits<RawRuleFile> {
  static void mapping(IO &IO, RawRuleFile &File) {
    IO.mapRequired("apis", File.Apis);
  }
};
} // namespace llvm::yaml

namespace awaitify {

Error RuleSet::addText(StringRef Text, StringRef Origin) {
  std::string Diagnostics;
  raw_string_ostream DiagOS(Diagnostics);
  RawRuleFile Raw;
  {
    yaml::Input In(Text, nullptr,
                   [](const SMDiagnostic &D, void *Ctx) {
                     auto &OS = *static_cast<raw_string_ostream *>(Ctx);
                     // One line: file:line:col: message.
                     OS << D.getLineNo() << ":" << (D.getColumnNo() + 1)
                        << ": " << D.getMessage();
                   },
                   &DiagOS);
    In >> Raw;
    if (In.error())
      return createStringError(inconvertibleErrorCode(),
                               "%s:%s", Origin.str().c_str(),
                               Diagnostics.empty()
                                   ? " not a valid rule file"
                                   : Diagnostics.c_str());
  }
  for (RawApi &A : Raw.Apis) {
    ApiRule Rule;
    Rule.Name = StringRef(A.Name).trim().ltrim(':').str();
    if (A.Callback != "last")
      Rule.CallbackIndex = std::stoul(A.Callback);
    Rule.Await = A.Await;
    Rule.CompletesLater = A.Completes == "later" ||
                          awaitify::detail::findDialect(A.Await)->completesLater();
    Rule.Origin = Origin.str();
    add(std::move(Rule));
  }
  return Error::success();
}

Error RuleSet::addFile(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return createStringError(Buffer.getError(), "%s: cannot read rule file: %s",
                             Path.str().c_str(),
                             Buffer.getError().message().c_str());
  if (Error E = addText((*Buffer)->getBuffer(), Path))
    return E;
  Files.push_back(Path.str());
  return Error::success();
}

void RuleSet::add(ApiRule Rule) {
  auto [It, Inserted] = Index.try_emplace(Rule.Name, Rules.size());
  if (Inserted)
    Rules.push_back(std::move(Rule));
  else
    Rules[It->second] = std::move(Rule);
}

void RuleSet::merge(const RuleSet &Other) {
  for (const ApiRule &R : Other.Rules)
    add(R);
  Files.insert(Files.end(), Other.Files.begin(), Other.Files.end());
}

const ApiRule *RuleSet::lookup(StringRef QualifiedName) const {
  auto It = Index.find(QualifiedName);
  return It == Index.end() ? nullptr : &Rules[It->second];
}

std::optional<std::string> findProjectRuleFile(StringRef SourceFile) {
  SmallString<256> Dir(SourceFile);
  sys::fs::make_absolute(Dir);
  sys::path::remove_filename(Dir);
  while (!Dir.empty()) {
    SmallString<256> Candidate(Dir);
    sys::path::append(Candidate, ProjectRuleFileName);
    if (sys::fs::is_regular_file(Candidate))
      return std::string(Candidate);
    StringRef Parent = sys::path::parent_path(Dir);
    if (Parent == Dir)
      break;
    Dir = Parent;
  }
  return std::nullopt;
}

std::vector<std::string> listRuleFiles(StringRef Dir) {
  std::vector<std::string> Out;
  std::error_code EC;
  for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (sys::path::extension(It->path()) == ".yaml")
      Out.push_back(It->path());
  std::sort(Out.begin(), Out.end());
  return Out;
}

} // namespace awaitify
