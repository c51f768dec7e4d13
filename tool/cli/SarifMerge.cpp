//===- SarifMerge.cpp - SARIF logs of shards into one log with one run ----===//
//
// Every run of every log must come from the same tool (the same
// tool.driver, rules included) and count columns the same way. The merged
// log has one run: the results of all runs, each once, sorted by place; the
// tool execution notifications of all, each once; executionSuccessful when
// every run's was. Two different results at one place for one rule (a
// chain in a header that two shards rewrite differently, or that one of
// them could not rewrite) become one, without a fix, as one run reports it.
//
//===----------------------------------------------------------------------===//
#include "Merge.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include <map>
#include <set>

namespace awaitify::cli {
namespace {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

std::string serialize(const Value &V) { return llvm::formatv("{0}", V).str(); }

/// Where a result is: rule, file, line, column.
using Place = std::tuple<std::string, std::string, int64_t, int64_t>;

Place placeOf(const Value &Result) {
  Place P;
  const Object *R = Result.getAsObject();
  if (!R)
    return P;
  std::get<0>(P) = R->getString("ruleId").value_or("").str();
  const Array *Locations = R->getArray("locations");
  if (!Locations || Locations->empty() || !Locations->front().getAsObject())
    return P;
  const Object *Physical =
      Locations->front().getAsObject()->getObject("physicalLocation");
  if (!Physical)
    return P;
  if (const Object *A = Physical->getObject("artifactLocation"))
    std::get<1>(P) = A->getString("uri").value_or("").str();
  if (const Object *Region = Physical->getObject("region")) {
    std::get<2>(P) = Region->getInteger("startLine").value_or(0);
    std::get<3>(P) = Region->getInteger("startColumn").value_or(0);
  }
  return P;
}

/// One result for several different ones at one place: the one that has no
/// fix (a shard did not rewrite the chain), else the first; without a fix.
Value settle(std::vector<Value> Versions, std::string &Why) {
  auto NoFix = llvm::find_if(
      Versions, [](const Value &V) { return !V.getAsObject()->get("fixes"); });
  const Object &Chosen =
      *(NoFix != Versions.end() ? *NoFix : Versions.front()).getAsObject();
  Object O;
  for (const auto &[Key, V] : Chosen)
    if (Key != "fixes")
      O[Key] = V;
  if (Object *Props = O.getObject("properties"))
    (*Props)["rewritable"] = false;
  Why = "two translation units rewrite it differently";
  if (Object *Message = O.getObject("message")) {
    std::string Text = Message->getString("text").value_or("").str();
    if (!llvm::StringRef(Text).contains(" Not rewritten: "))
      Text += " Not rewritten: " + Why + ".";
    else
      Why = llvm::StringRef(Text).split(" Not rewritten: ").second.str();
    (*Message)["text"] = Text;
  }
  return Value(std::move(O));
}

} // namespace

llvm::Expected<Value>
mergeSarif(const std::vector<std::pair<std::string, Value>> &Logs,
           std::vector<std::string> &Conflicts, bool &Successful,
           size_t &Count) {
  auto Error = [](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Why);
  };
  std::optional<Value> Tool, ColumnKind, BaseIds;
  std::map<Place, std::map<std::string, Value>> Results;
  std::map<std::string, Value> Notifications;
  Successful = true;
  for (const auto &[Name, Log] : Logs) {
    const Object *L = Log.getAsObject();
    const Array *Runs = L ? L->getArray("runs") : nullptr;
    if (!Runs || L->getString("version") != llvm::StringRef("2.1.0"))
      return Error(Name + ": not a SARIF 2.1.0 log");
    for (const Value &RunValue : *Runs) {
      const Object *Run = RunValue.getAsObject();
      if (!Run || !Run->get("tool"))
        return Error(Name + ": a run without a tool");
      auto Same = [&](std::optional<Value> &Known, const Value *V,
                      llvm::StringRef What) {
        Value This = V ? *V : Value(nullptr);
        if (!Known)
          Known = This;
        return *Known == This ? llvm::Error::success()
                              : Error(Name + ": its " + What +
                                      " is not that of the other logs");
      };
      if (llvm::Error E = Same(Tool, Run->get("tool"), "tool (or version)"))
        return std::move(E);
      if (llvm::Error E =
              Same(ColumnKind, Run->get("columnKind"), "columnKind"))
        return std::move(E);
      if (llvm::Error E = Same(BaseIds, Run->get("originalUriBaseIds"),
                               "originalUriBaseIds"))
        return std::move(E);
      if (const Array *Rs = Run->getArray("results"))
        for (const Value &R : *Rs)
          if (R.getAsObject())
            Results[placeOf(R)].emplace(serialize(R), R);
      if (const Array *Invocations = Run->getArray("invocations"))
        for (const Value &I : *Invocations) {
          const Object *Inv = I.getAsObject();
          if (!Inv)
            continue;
          Successful &= Inv->getBoolean("executionSuccessful").value_or(true);
          if (const Array *Ns = Inv->getArray("toolExecutionNotifications"))
            for (const Value &N : *Ns)
              Notifications.emplace(serialize(N), N);
        }
    }
  }
  Array Merged;
  for (auto &[Where, Versions] : Results) {
    if (Versions.size() == 1) {
      Merged.push_back(Versions.begin()->second);
      continue;
    }
    std::vector<Value> All;
    for (auto &[Text, V] : Versions)
      All.push_back(V);
    std::string Why;
    Merged.push_back(settle(std::move(All), Why));
    Conflicts.push_back(llvm::formatv("{0}:{1}:{2}: the shards report this "
                                      "chain differently; it is not "
                                      "rewritten: {3}",
                                      std::get<1>(Where), std::get<2>(Where),
                                      std::get<3>(Where), Why));
  }
  Count = Merged.size();
  Array Notes;
  for (auto &[Text, N] : Notifications)
    Notes.push_back(N);
  Object Run{
      {"tool", Tool ? *Tool : Value(Object{})},
      {"results", std::move(Merged)},
      {"invocations",
       Array{Object{{"executionSuccessful", Successful},
                    {"toolExecutionNotifications", std::move(Notes)}}}},
  };
  if (ColumnKind && *ColumnKind != Value(nullptr))
    Run["columnKind"] = *ColumnKind;
  if (BaseIds && *BaseIds != Value(nullptr))
    Run["originalUriBaseIds"] = *BaseIds;
  return Value(Object{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", Array{std::move(Run)}},
  });
}

} // namespace awaitify::cli
