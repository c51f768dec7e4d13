//===- Commands.cpp -------------------------------------------------------===//
#include "driver/Commands.h"
#include "clang/Driver/Options.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace clang;

namespace awaitify::detail {

namespace {

/// Configures Boost.Asio and standalone Asio as their own GCC branch does
/// (detail/config.hpp: C++20, the compiler's coroutines, <coroutine>).
constexpr llvm::StringLiteral GCCViewPath = "/awaitify-builtin/gcc-view.h";
constexpr llvm::StringLiteral GCCView = R"cpp(
#if defined(__cplusplus) && __cplusplus >= 201709L && \
    defined(__cpp_impl_coroutine) && __cpp_impl_coroutine >= 201902L
#if __has_include(<coroutine>)
#ifndef BOOST_ASIO_HAS_CO_AWAIT
#define BOOST_ASIO_HAS_CO_AWAIT 1
#endif
#ifndef BOOST_ASIO_HAS_STD_COROUTINE
#define BOOST_ASIO_HAS_STD_COROUTINE 1
#endif
#ifndef ASIO_HAS_CO_AWAIT
#define ASIO_HAS_CO_AWAIT 1
#endif
#ifndef ASIO_HAS_STD_COROUTINE
#define ASIO_HAS_STD_COROUTINE 1
#endif
#endif
#endif
)cpp";

/// Drops what clang's driver does not know; it would stop the parse.
tooling::CommandLineArguments
dropUnknown(const tooling::CommandLineArguments &Args) {
  if (Args.size() < 2)
    return Args;
  std::vector<const char *> Rest;
  for (size_t I = 1; I < Args.size(); ++I)
    Rest.push_back(Args[I].c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList List = driver::getDriverOptTable().ParseArgs(
      Rest, MissingIndex, MissingCount,
      llvm::opt::Visibility(driver::options::ClangOption));
  std::vector<bool> Drop(Rest.size(), false);
  for (const llvm::opt::Arg *A : List)
    if (A->getOption().getID() == driver::options::OPT_UNKNOWN)
      Drop[A->getIndex()] = true;
  tooling::CommandLineArguments Out{Args[0]};
  for (size_t I = 0; I < Rest.size(); ++I)
    if (!Drop[I])
      Out.push_back(Rest[I]);
  return Out;
}

} // namespace

bool compilerIsGCC(const tooling::CommandLineArguments &Args) {
  if (Args.empty())
    return false;
  auto IsGCC = [](llvm::StringRef Name) {
    Name = llvm::sys::path::filename(Name);
    return !Name.contains("clang") &&
           (Name.contains("g++") || Name.contains("gcc"));
  };
  if (IsGCC(Args[0]))
    return true;
  // `c++` and `cc` are whatever the system's alternatives point at; a
  // command given after `--` names no compiler ("clang-tool"): the build
  // that has none named uses `c++`.
  llvm::StringRef Name = llvm::sys::path::filename(Args[0]);
  if (Name != "c++" && Name != "cc" && Name != "clang-tool")
    return false;
  std::string Path = Name == "clang-tool" ? "c++" : Args[0];
  if (!llvm::sys::path::has_parent_path(Path))
    if (auto Found = llvm::sys::findProgramByName(Path))
      Path = *Found;
  llvm::SmallString<256> Real;
  return !llvm::sys::fs::real_path(Path, Real) && IsGCC(Real);
}

void readAsTheCompilerDoes(tooling::ClangTool &Tool) {
  Tool.mapVirtualFile(GCCViewPath, GCCView);
  Tool.appendArgumentsAdjuster(
      [](const tooling::CommandLineArguments &Args, llvm::StringRef) {
        tooling::CommandLineArguments Out = dropUnknown(Args);
        Out.insert(Out.begin() + 1, "-Wno-unknown-warning-option");
        if (compilerIsGCC(Args))
          Out.insert(Out.begin() + 1, {"-include", GCCViewPath.str()});
        return Out;
      });
}

} // namespace awaitify::detail
