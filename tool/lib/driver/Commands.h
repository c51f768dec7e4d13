//===- Commands.h - The user's compile command, as clang reads it -*- C++ -*-===//
//
// Internal. awaitify parses with clang whatever compiler the user's build
// runs. Its parses take the user's compile command and add only what makes
// clang see what that compiler sees -- never what the user's build will
// not have:
//
//  * arguments clang does not know (GCC-only ones such as
//    -fconcepts-diagnostics-depth=N) are dropped, as clangd does, and
//    warnings unknown to clang are not reported;
//  * when the compiler is GCC, the libraries whose configuration enables
//    C++20 coroutines for GCC but not for clang (Boost.Asio 1.74, Asio 1.22)
//    are configured as GCC's parse configures them: the same macros, under
//    the same conditions as the library's own GCC branch.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_DRIVER_COMMANDS_H
#define AWAITIFY_DRIVER_COMMANDS_H

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"

namespace awaitify::detail {

/// Whether the command's compiler is GCC (g++, gcc, or c++/cc resolving to
/// one of them).
bool compilerIsGCC(const clang::tooling::CommandLineArguments &Args);

/// Adjusts every command of \p Tool as described above (and maps the
/// header that configures libraries as GCC does).
void readAsTheCompilerDoes(clang::tooling::ClangTool &Tool);

} // namespace awaitify::detail

#endif
