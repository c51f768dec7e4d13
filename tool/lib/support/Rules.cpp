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
// A rule's `name` as written. A malformed pattern is rejected while the
// scalar is read, so that the error points at the name itself.
struct RawName {
  std::string Text;
  std::string Problem; // what input() reported, kept alive for the message
};

// The YAML shape of a rule file. Kept apart from ApiRule so that the file
// format (strings such as "last") can differ from the in-memory model.
struct RawApi {
  RawName Name;
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
template <> struct ScalarTraits<RawName> {
  static void output(const RawName &Name, void *, raw_ostream &OS) {
    OS << Name.Text;
  }
  static StringRef input(StringRef Scalar, void *, RawName &Name) {
    Name.Text = Scalar.trim().ltrim(':').str();
    if (auto Problem = awaitify::namePatternProblem(Name.Text)) {
      Name.Problem = std::move(*Problem);
      return Name.Problem;
    }
    return StringRef();
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::Single; }
};
template <> struct MappingTraits<RawApi> {
  static void mapping(IO &IO, RawApi &Api) {
    IO.mapRequired("name", Api.Name);
    IO.mapOptional("callback", Api.Callback, std::string("last"));
    IO.mapOptional("await", Api.Await, std::string("generic"));
    IO.mapOptional("completes", Api.Completes, std::string("any"));
  }
  static std::string validate(IO &, RawApi &Api) {
    if (Api.Name.Text.empty())
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
    Rule.Name = A.Name.Text;
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
  bool Pattern = isNamePattern(Rule.Name);
  auto [It, Inserted] = Index.try_emplace(Rule.Name, Rules.size());
  size_t At = It->second;
  if (Inserted)
    Rules.push_back(std::move(Rule));
  else
    Rules[At] = std::move(Rule);
  if (Pattern) {
    // The pattern added last is tried first: a replaced one moves to the end.
    llvm::erase(Patterns, At);
    Patterns.push_back(At);
    Matched.clear();
  }
}

RuleSet::MatchCache &RuleSet::MatchCache::operator=(const MatchCache &) {
  clear();
  return *this;
}

void RuleSet::MatchCache::clear() {
  std::lock_guard<std::mutex> Guard(Lock);
  Found.clear();
}

void RuleSet::merge(const RuleSet &Other) {
  for (const ApiRule &R : Other.Rules)
    if (!isNamePattern(R.Name))
      add(R);
  // In the order Other tries them, so that the same one wins here.
  for (size_t P : Other.Patterns)
    add(Other.Rules[P]);
  Files.insert(Files.end(), Other.Files.begin(), Other.Files.end());
}

const ApiRule *RuleSet::lookupMember(llvm::StringRef Member) const {
  for (const ApiRule &R : Rules) {
    llvm::StringRef Name = R.Name;
    size_t Colons = Name.rfind("::");
    if ((Colons == llvm::StringRef::npos ? Name : Name.drop_front(Colons + 2)) ==
        Member)
      return &R;
  }
  return nullptr;
}

const ApiRule *RuleSet::lookup(StringRef QualifiedName) const {
  auto It = Index.find(QualifiedName);
  if (It != Index.end())
    return &Rules[It->second];
  if (QualifiedName.empty() || Patterns.empty())
    return nullptr;
  std::lock_guard<std::mutex> Guard(Matched.Lock);
  auto [Hit, New] = Matched.Found.try_emplace(QualifiedName);
  if (New)
    for (auto P = Patterns.rbegin(); P != Patterns.rend(); ++P)
      if (matchesNamePattern(Rules[*P].Name, QualifiedName)) {
        // Named as the call is, so that messages name the function.
        Hit->second = std::make_unique<ApiRule>(Rules[*P]);
        Hit->second->Pattern = Rules[*P].Name;
        Hit->second->Name = QualifiedName.str();
        break;
      }
  return Hit->second.get();
}

bool isNamePattern(StringRef Name) { return Name.contains('*'); }

static constexpr StringLiteral AnyOne = "*", AnyMany = "**";

static SmallVector<StringRef, 8> components(StringRef Name) {
  SmallVector<StringRef, 8> Parts;
  Name.split(Parts, "::");
  return Parts;
}

std::optional<std::string> namePatternProblem(StringRef Pattern) {
  if (!isNamePattern(Pattern))
    return std::nullopt;
  bool OwnComponent = false;
  for (StringRef Part : components(Pattern)) {
    if (Part.empty())
      return "name pattern '" + Pattern.str() +
             "' has an empty component: components are separated by '::'";
    if (Part == AnyOne || Part == AnyMany)
      continue;
    if (Part.contains('*'))
      return "name pattern '" + Pattern.str() + "': '" + Part.str() +
             "' is not a component: '*' (exactly one component) and '**' "
             "(zero or more) stand alone between '::'";
    OwnComponent = true;
  }
  if (!OwnComponent)
    return "name pattern '" + Pattern.str() +
           "' has only '*' and '**': it needs a component of its own";
  return std::nullopt;
}

// Whether the name's components \p N match the pattern's components \p P.
static bool matchFrom(ArrayRef<StringRef> P, ArrayRef<StringRef> N) {
  while (!P.empty()) {
    if (P.front() == AnyMany) {
      P = P.drop_front();
      for (size_t Skip = 0; Skip <= N.size(); ++Skip)
        if (matchFrom(P, N.drop_front(Skip)))
          return true;
      return false;
    }
    if (N.empty() || (P.front() != AnyOne && P.front() != N.front()))
      return false;
    P = P.drop_front();
    N = N.drop_front();
  }
  return N.empty();
}

bool matchesNamePattern(StringRef Pattern, StringRef Name) {
  return matchFrom(components(Pattern), components(Name));
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
