// The analysis on small translation units: what is found, what is left alone
// and why, and the text of the rewrite.
#include "awaitify/Chain.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include <gtest/gtest.h>

using namespace awaitify;

namespace {

// A self-contained prelude: a std::function stand-in and a callback API.
const char Prelude[] = R"cpp(
namespace std {
template <class> class function;
template <class R, class... A> class function<R(A...)> {
public:
  // Instantiates the callback's call operator, as the real one does: a
  // generic lambda gets its one specialization.
  template <class F> function(F f) {
    if (false)
      f(A()...);
  }
  R operator()(A...) const;
};
}
struct User { int id; };
struct Group { int id; };
struct Err { int code; explicit operator bool() const { return code != 0; } };
namespace svc {
void getUser(int id, std::function<void(User)> cb);
void getGroup(int id, std::function<void(Group)> cb);
void read(int id, std::function<void(Err, int)> cb);
void touch(int &counter, std::function<void(int)> cb);
void other(int id, std::function<void(int)> cb);
void peek(int id, std::function<void(int)> cb);  // may call back inline
}
)cpp";

struct Outcome {
  AnalysisResult Result;
  std::string Rewritten;
};

Outcome analyze(const std::string &Body, Confidence Min = Confidence::Reasonable) {
  std::string Code = std::string(Prelude) + Body;
  auto AST = clang::tooling::buildASTFromCodeWithArgs(
      Code, {"-std=c++20", "-resource-dir=" AWAITIFY_RESOURCE_DIR}, "input.cc");
  EXPECT_TRUE(AST);
  RuleSet Rules;
  llvm::cantFail(Rules.addText("apis:\n"
                               "  - name: svc::getUser\n"
                               "    completes: later\n"
                               "  - name: svc::getGroup\n"
                               "    completes: later\n"
                               "  - name: svc::read\n"
                               "    completes: later\n"
                               "  - name: svc::touch\n"
                               "  - name: svc::peek\n",
                               "test"));
  AnalysisOptions Opts;
  Opts.MinConfidence = Min;
  Outcome R;
  R.Result = analyzeTranslationUnit(AST->getASTContext(), Rules, Opts);
  clang::tooling::Replacements All;
  for (const Chain &C : R.Result.Chains)
    for (const auto &E : C.Edits)
      llvm::consumeError(All.add(E));
  auto New = clang::tooling::applyAllReplacements(Code, All);
  EXPECT_TRUE(bool(New));
  R.Rewritten = New ? *New : "";
  return R;
}

bool contains(const std::string &Text, const std::string &Part) {
  return Text.find(Part) != std::string::npos;
}

std::string reasons(const AnalysisResult &R) {
  std::string Out;
  for (const LeftAlone &S : R.Skipped)
    Out += S.Reason + "\n";
  return Out;
}

TEST(Analysis, TheDesignExampleBecomesTwoAwaits) {
  Outcome R = analyze(R"cpp(
struct Result { User u; Group g; };
void process(int user, int group, std::function<void(Result)> done) {
  svc::getUser(user, [group, done](User u) {
    svc::getGroup(group, [u, done](Group g) { done(Result{u, g}); });
  });
}
)cpp");
  ASSERT_EQ(R.Result.Chains.size(), 1u) << reasons(R.Result);
  const Chain &C = R.Result.Chains[0];
  EXPECT_EQ(C.Function, "process");
  EXPECT_EQ(C.Depth, 2u);
  ASSERT_EQ(C.Steps.size(), 2u);
  EXPECT_EQ(C.Steps[0].Callee, "svc::getUser");
  EXPECT_EQ(C.Conf.level(), Confidence::Safe);
  // External linkage: the function keeps its signature and starts a
  // coroutine of internal linkage.
  EXPECT_TRUE(contains(R.Rewritten, "namespace {\nawaitify::detached process_coro("))
      << R.Rewritten;
  EXPECT_TRUE(contains(
      R.Rewritten,
      "void process(int user, int group, std::function<void(Result)> done) {\n"
      "  process_coro(user, group, done);\n}"))
      << R.Rewritten;
  EXPECT_TRUE(contains(R.Rewritten,
                       "User u = co_await awaitify::from_callback<User>("))
      << R.Rewritten;
  EXPECT_TRUE(contains(R.Rewritten, "svc::getGroup(group, resume); });\n"
                                    "  done(Result{u, g});\n}"))
      << R.Rewritten;
  EXPECT_TRUE(contains(R.Rewritten, "#include <awaitify/detached.hpp>\n"
                                    "#include <awaitify/from_callback.hpp>"));
}

TEST(Analysis, ACallWithCodeAfterItIsNotInTailPosition) {
  Outcome R = analyze(R"cpp(
int log(int);
void f(int id) {
  svc::getUser(id, [](User u) { svc::getGroup(u.id, [](Group) {}); });
  log(1);
}
)cpp");
  EXPECT_TRUE(R.Result.Chains.empty());
}

TEST(Analysis, ASingleCallbackIsNotAChain) {
  Outcome R = analyze("void f(int id) { svc::getUser(id, [](User) {}); }\n");
  EXPECT_TRUE(R.Result.Chains.empty());
  EXPECT_TRUE(contains(reasons(R.Result), "single callback"));
}

TEST(Analysis, ErrorFirstCallbacksKeepTheirErrorHandling) {
  Outcome R = analyze(R"cpp(
void f(int id, std::function<void(int)> done) {
  svc::read(id, [done](Err ec, int n) {
    if (ec) { done(-1); return; }
    svc::read(n, [done](Err ec, int m) { done(m); });
  });
}
)cpp");
  ASSERT_EQ(R.Result.Chains.size(), 1u) << reasons(R.Result);
  EXPECT_TRUE(contains(R.Rewritten, "auto [ec, n] = co_await")) << R.Rewritten;
  EXPECT_TRUE(contains(R.Rewritten, "co_return;")) << R.Rewritten;
  // The second `ec` would redeclare the first: renamed, and said so.
  EXPECT_TRUE(contains(R.Rewritten, "auto [ec2, m] = co_await")) << R.Rewritten;
  EXPECT_FALSE(R.Result.Chains[0].Renames.empty());
}

TEST(Analysis, WhatMayThrowInsideAnInlineFirstCallIsNamed) {
  // peek may call back before it returns; the coroutine then goes on inside
  // that call, which can no longer throw out of the function.
  Outcome Calls = analyze(R"cpp(
void f(int id) {
  svc::peek(id, [](int v) { svc::getUser(v, [](User) {}); });
}
)cpp");
  ASSERT_EQ(Calls.Result.Chains.size(), 1u) << reasons(Calls.Result);
  const Chain &C = Calls.Result.Chains[0];
  EXPECT_EQ(C.Conf.level(), Confidence::Reasonable);
  ASSERT_EQ(C.Assumptions.size(), 1u);
  EXPECT_TRUE(contains(C.Assumptions[0],
                       "'svc::peek' may call back before it returns: an "
                       "exception from 'svc::getUser' after that"))
      << C.Assumptions[0];

  // A throw written there is risky: left alone at the default minimum.
  const char *Thrown = R"cpp(
void f(int id) {
  svc::peek(id, [](int v) {
    if (v < 0)
      throw 1;
    svc::getUser(v, [](User) {});
  });
}
)cpp";
  EXPECT_TRUE(analyze(Thrown).Result.Chains.empty());
  Outcome Risky = analyze(Thrown, Confidence::Risky);
  ASSERT_EQ(Risky.Result.Chains.size(), 1u);
  EXPECT_EQ(Risky.Result.Chains[0].Conf.level(), Confidence::Risky);
  EXPECT_TRUE(contains(Risky.Result.Chains[0].Assumptions[0],
                       "the exception thrown on line "))
      << Risky.Result.Chains[0].Assumptions[0];

  // After an API that completes later, nothing runs inside the first call.
  Outcome Later = analyze(R"cpp(
void f(int id) {
  svc::getUser(id, [](User u) {
    if (u.id < 0)
      throw 1;
    svc::peek(u.id, [](int) {});
  });
}
)cpp");
  ASSERT_EQ(Later.Result.Chains.size(), 1u) << reasons(Later.Result);
  EXPECT_EQ(Later.Result.Chains[0].Conf.level(), Confidence::Safe);
}

TEST(Analysis, ACopyTheCalleeMayModifyMakesTheChainRisky) {
  const char *Code = R"cpp(
void f(int counter) {
  svc::touch(counter, [counter](int) {
    svc::getUser(counter, [](User) {});
  });
}
)cpp";
  Outcome Default = analyze(Code);
  EXPECT_TRUE(Default.Result.Chains.empty());
  EXPECT_TRUE(contains(reasons(Default.Result), "below the minimum"));
  Outcome Risky = analyze(Code, Confidence::Risky);
  ASSERT_EQ(Risky.Result.Chains.size(), 1u);
  EXPECT_EQ(Risky.Result.Chains[0].Conf.level(), Confidence::Risky);
}

TEST(Analysis, ASharedPtrCopiedByTheFirstCallbackOnlyIsNamed) {
  // A shared_ptr's deleter is not in its type: the last owner may run any
  // code. The callback's copy died with the first callback; the coroutine's
  // would live to the chain's end.
  const char *Code = R"cpp(
namespace std {
template <class T> class shared_ptr {
public:
  shared_ptr(const shared_ptr &);
  ~shared_ptr();
  T *get() const;
};
}
void f(std::shared_ptr<int> p) {
  svc::getUser(1, [p](User u) {
    svc::getGroup(*p.get() + u.id, [](Group) {});
  });
}
)cpp";
  Outcome Default = analyze(Code);
  EXPECT_TRUE(Default.Result.Chains.empty());
  EXPECT_TRUE(contains(reasons(Default.Result), "'p' (std::shared_ptr<int>) is copied"))
      << reasons(Default.Result);
}

TEST(Analysis, AUniquePtrIsPlainOnlyWithTheStandardDeleter) {
  // Moved into the first callback only: with the default deleter, dying at
  // the chain's end instead only frees memory; a deleter of the program's
  // own runs its code at another moment.
  const char *Declarations = R"cpp(
namespace std {
template <class T> struct default_delete { void operator()(T *) const; };
template <class T, class D = default_delete<T>> class unique_ptr {
public:
  unique_ptr(unique_ptr &&);
  ~unique_ptr();
  T *get() const;
};
template <class T> T &&move(T &);
}
struct Logging { void operator()(int *) const; };
)cpp";
  auto Code = [&](const char *Type) {
    return std::string(Declarations) + "void f(" + Type + R"cpp( p) {
  svc::getUser(1, [p = std::move(p)](User u) {
    svc::getGroup(*p.get() + u.id, [](Group) {});
  });
}
)cpp";
  };
  Outcome Default = analyze(Code("std::unique_ptr<int>"));
  EXPECT_EQ(Default.Result.Chains.size(), 1u) << reasons(Default.Result);
  Outcome Logged = analyze(Code("std::unique_ptr<int, Logging>"));
  EXPECT_TRUE(Logged.Result.Chains.empty());
  EXPECT_TRUE(contains(reasons(Logged.Result), "'p' (std::unique_ptr<int, Logging>) is copied"))
      << reasons(Logged.Result);
}

TEST(Analysis, AConstReferenceParameterCopiedByACallbackIsTakenByValue) {
  Outcome R = analyze(R"cpp(
struct Name { int n; };
void greet(const Name &name) {
  svc::getUser(1, [name](User) { svc::getGroup(name.n, [](Group) {}); });
}
)cpp");
  ASSERT_EQ(R.Result.Chains.size(), 1u) << reasons(R.Result);
  EXPECT_EQ(R.Result.Chains[0].Conf.level(), Confidence::Reasonable);
  // The signature others see stays; the coroutine takes its copy.
  EXPECT_TRUE(contains(R.Rewritten, "awaitify::detached greet_coro(Name name)"))
      << R.Rewritten;
  EXPECT_TRUE(contains(R.Rewritten, "void greet(const Name &name) { greet_coro(name); }"))
      << R.Rewritten;
}

TEST(Analysis, AFunctionOfInternalLinkageBecomesTheCoroutine) {
  Outcome R = analyze(R"cpp(
static void f(int id) {
  svc::getUser(id, [](User u) { svc::getGroup(u.id, [](Group) {}); });
}
)cpp");
  ASSERT_EQ(R.Result.Chains.size(), 1u) << reasons(R.Result);
  EXPECT_TRUE(contains(R.Rewritten, "static awaitify::detached f(int id) {"))
      << R.Rewritten;
  EXPECT_FALSE(contains(R.Rewritten, "f_coro")) << R.Rewritten;
}

TEST(Analysis, AFunctionWhoseAddressIsTakenKeepsItsTypeWhenOthersSeeIt) {
  const char *Code = R"cpp(
%s void f(int id) {
  svc::getUser(id, [](User u) { svc::getGroup(u.id, [](Group) {}); });
}
void (*const P)(int) = &f;
)cpp";
  auto With = [&](const char *Linkage) {
    std::string Text = Code;
    Text.replace(Text.find("%s"), 2, Linkage);
    return analyze(Text);
  };
  Outcome External = With("");
  ASSERT_EQ(External.Result.Chains.size(), 1u) << reasons(External.Result);
  EXPECT_TRUE(contains(External.Rewritten, "void f(int id) { f_coro(id); }"))
      << External.Rewritten;
  Outcome Internal = With("static");
  EXPECT_TRUE(Internal.Result.Chains.empty());
  EXPECT_TRUE(contains(reasons(Internal.Result), "address is taken"))
      << reasons(Internal.Result);
}

TEST(Analysis, TheCoroutineTakesOnlyTheParametersTheChainReads) {
  // `unused` stays with the function and dies when it returns, as before;
  // a parameter the function owns is moved into the coroutine.
  Outcome R = analyze(R"cpp(
struct Text {
  Text(const Text &);
  int n;
};
void f(Text unused, Text name, int id) {
  svc::getUser(id, [name](User u) { svc::getGroup(u.id, [name](Group) {}); });
}
)cpp");
  ASSERT_EQ(R.Result.Chains.size(), 1u) << reasons(R.Result);
  EXPECT_TRUE(contains(R.Rewritten,
                       "awaitify::detached f_coro(Text name, int id)"))
      << R.Rewritten;
  EXPECT_TRUE(contains(R.Rewritten, "f_coro(std::move(name), id);"))
      << R.Rewritten;
}

TEST(Analysis, AMethodStartsAPrivateMemberCoroutine) {
  Outcome R = analyze(R"cpp(
class Session {
public:
  void start(int id);
  void stop();

private:
  int last = 0;
};
void Session::start(int id) {
  svc::getUser(id, [this](User u) {
    svc::getGroup(u.id, [this](Group g) { last = g.id; });
  });
}
)cpp");
  ASSERT_EQ(R.Result.Chains.size(), 1u) << reasons(R.Result);
  EXPECT_TRUE(contains(R.Rewritten, "  void start(int id);\n\n"
                                    "private:\n"
                                    "  awaitify::detached start_coro(int id);\n\n"
                                    "public:\n"
                                    "  void stop();"))
      << R.Rewritten;
  EXPECT_TRUE(contains(R.Rewritten, "awaitify::detached Session::start_coro(int id) {"))
      << R.Rewritten;
}

TEST(Analysis, AMethodLastInItsSectionDeclaresItsCoroutineInThePrivateOne) {
  Outcome R = analyze(R"cpp(
class Session {
public:
  void start(int id);

private:
  int last = 0;
};
void Session::start(int id) {
  svc::getUser(id, [this](User u) {
    svc::getGroup(u.id, [this](Group g) { last = g.id; });
  });
}
)cpp");
  ASSERT_EQ(R.Result.Chains.size(), 1u) << reasons(R.Result);
  EXPECT_TRUE(contains(R.Rewritten, "private:\n"
                                    "  awaitify::detached start_coro(int id);\n"
                                    "  int last = 0;"))
      << R.Rewritten;
}

TEST(Analysis, AMutableReferenceParameterCopiedByACallbackIsLeftAlone) {
  Outcome R = analyze(R"cpp(
struct Name { int n; };
void greet(Name &name) {
  svc::getUser(1, [name](User) { svc::getGroup(name.n, [](Group) {}); });
}
)cpp");
  EXPECT_TRUE(R.Result.Chains.empty());
  EXPECT_TRUE(contains(reasons(R.Result), "reference parameter 'name'"));
}

TEST(Analysis, ACapturingLambdaIsNotTurnedIntoACoroutine) {
  Outcome R = analyze(R"cpp(
void run(std::function<void()>);
void f(int id) {
  run([id] {
    svc::getUser(id, [](User u) { svc::getGroup(u.id, [](Group) {}); });
  });
}
)cpp");
  EXPECT_TRUE(R.Result.Chains.empty());
  EXPECT_TRUE(contains(reasons(R.Result), "captures live in the closure"));
}

TEST(Analysis, AReturnAtTheEndOfACallbackEndsTheCoroutineOnce) {
  // `return api(...);` ends the function: its step ends with `co_return;`
  // unless the flattened code does already. The rewrite decides that from
  // the code, not from the text it wrote: a comment after the callback's
  // return adds no second one.
  Outcome R = analyze(R"cpp(
void f(int id, std::function<void(int)> done) {
  return svc::getUser(id, [done](User u) {
    svc::getGroup(u.id, [done](Group g) {
      done(g.id);
      return; // all done
    });
  });
}
)cpp");
  ASSERT_EQ(R.Result.Chains.size(), 1u) << reasons(R.Result);
  EXPECT_TRUE(contains(R.Rewritten, "co_return; // all done\n}"))
      << R.Rewritten;
}

TEST(Analysis, AnApiWithoutARuleIsNotACompletionApi) {
  Outcome R = analyze(R"cpp(
void f(int id) {
  svc::other(id, [](int v) { svc::other(v, [](int) {}); });
}
)cpp");
  EXPECT_TRUE(R.Result.Chains.empty());
}

} // namespace

TEST(Analysis, ACaseCallFollowedByBreakIsInTailPositionOneThatFallsThroughIsNot) {
  Outcome Break = analyze(R"cpp(
void f(int id, int kind) {
  svc::getUser(id, [kind](User u) {
    switch (kind) {
    case 0:
      svc::getGroup(u.id, [](Group) {});
      break;
    default:
      break;
    }
  });
}
)cpp");
  ASSERT_EQ(Break.Result.Chains.size(), 1u) << reasons(Break.Result);
  // The case gets braces for what the await declares, with its break.
  EXPECT_TRUE(contains(Break.Rewritten, "case 0: {")) << Break.Rewritten;
  EXPECT_TRUE(contains(Break.Rewritten,
                       "co_await awaitify::from_callback<Group>"))
      << Break.Rewritten;

  // Falling into the next case runs that case's code after the call.
  Outcome Falls = analyze(R"cpp(
int log(int);
void f(int id, int kind) {
  svc::getUser(id, [kind](User u) {
    switch (kind) {
    case 0:
      svc::getGroup(u.id, [](Group) {});
    case 1:
      log(1);
      break;
    }
  });
}
)cpp");
  EXPECT_TRUE(Falls.Result.Chains.empty()) << Falls.Rewritten;
}

TEST(Analysis, CallsMeetAfterTheirBranchOnlyWhenEveryWayCallsOrReturns) {
  const char *Handler = R"cpp(
struct S {
  void start(int id);
  void show(int id) { svc::getGroup(id, [](Group) {}); }
};
)cpp";
  Outcome Meets = analyze(std::string(Handler) + R"cpp(
void S::start(int id) {
  svc::getUser(id, [this](User u) {
    if (u.id < 0)
      return show(0);
    show(u.id);
  });
}
)cpp");
  ASSERT_EQ(Meets.Result.Chains.size(), 1u) << reasons(Meets.Result);
  EXPECT_TRUE(contains(Meets.Rewritten, "} else {")) << Meets.Rewritten;

  Outcome Apart = analyze(std::string(Handler) + R"cpp(
void S::start(int id) {
  svc::getUser(id, [this](User u) {
    if (u.id < 0)
      return show(0);
    if (u.id > 0)
      show(u.id);
  });
}
)cpp");
  EXPECT_TRUE(Apart.Result.Chains.empty()) << Apart.Rewritten;
  EXPECT_TRUE(contains(reasons(Apart.Result),
                       "its calls cannot meet after the branch: a way "
                       "through the block's last statement ends without "
                       "calling it"))
      << reasons(Apart.Result);
}

TEST(Analysis, AGenericCallbackIsReadAsTheOneSpecializationItRunsAs) {
  Outcome Once = analyze(R"cpp(
void chain(int id) {
  svc::getUser(id, [](auto u) {
    svc::getGroup(u.id, [](const auto &g) { (void)g; });
  });
}
)cpp");
  ASSERT_EQ(Once.Result.Chains.size(), 1u) << reasons(Once.Result);
  EXPECT_EQ(Once.Result.Chains[0].Depth, 2u);
  // The values are declared with the types the completions pass.
  EXPECT_TRUE(contains(Once.Rewritten, "User u = co_await")) << Once.Rewritten;
  EXPECT_TRUE(contains(Once.Rewritten, "from_callback<Group>"))
      << Once.Rewritten;
}
