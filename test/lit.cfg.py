# -*- Python -*-
# lit configuration of the awaitify checker tests (test/lit/).
#
# Two ways to run it:
#   * from a CMake build: `ctest -R lit`, or `lit <build>/test/lit`. CMake
#     writes <build>/test/lit.site.cfg.py (from lit.site.cfg.py.in) with the
#     paths of the build, then loads this file.
#   * standalone, from the source tree against any dev build:
#       lit --param awaitify=/path/to/awaitify test/lit
#     or AWAITIFY=/path/to/awaitify lit test/lit. The other paths have
#     defaults (clang++-19 and the LLVM 19 tools on this machine) and the same
#     overrides: --param clangxx=... / CLANGXX, --param llvm_tools_dir=... /
#     LLVM_TOOLS_DIR.
#
# Substitutions:
#   %awaitify          the awaitify binary
#   %clangxx           clang++ -std=c++20 -fsyntax-only -I<runtime include>,
#                      through %check_rewrite
#   %check_rewrite     prefix of a command that compiles rewritten files: runs
#                      it, then checks each rewrite (clang-tidy's coroutine
#                      checks, brace style, include order; see
#                      lit/Inputs/check_rewrite.py). `%check_rewrite
#                      --original F %clangxx ...` names the original when it
#                      is not the test (or its split-file part) itself.
#   %runtime_include   the runtime headers (for the tool's own command line)
#   %build_cxx         clang++ (19) as is, for programs that are built and run
#   %unprivileged      prefix that runs a command as a user that file
#                      permissions apply to (empty unless we run as root)
#   %expect_exit N     prefix that succeeds only if the command exits with
#                      status N (`not` cannot tell 1 from 2)
# Features:
#   permissions        chmod can make a file unreadable for %unprivileged
#   clang-tidy         clang-tidy 19 runs the coroutine checks of rewrites

import os
import shutil
import subprocess
import sys
import tempfile

import lit.formats
import lit.util

config.name = "awaitify"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test"]
# The suite's root is test/: test/lit holds the CLI's tests, and test/tidy,
# test/clangd and test/ci add their own through lit.local.cfg. runtime/, e2e/
# and unit/ have other harnesses (CTest); Inputs/ holds what tests read.
config.excludes = ["Inputs", "runtime", "e2e", "unit"]

this_dir = os.path.dirname(os.path.abspath(__file__))
source_dir = os.path.dirname(this_dir)  # the project root
config.test_source_root = this_dir
if not getattr(config, "test_exec_root", None):
    config.test_exec_root = os.path.join(
        tempfile.gettempdir(), "awaitify-lit-" + str(os.getuid()))


def setting(param, env, site_attr, default=None):
    """A path: --param, then the environment, then the site config."""
    value = lit_config.params.get(param) or os.environ.get(env)
    if not value:
        value = getattr(config, site_attr, None)
    return value or default


awaitify = setting("awaitify", "AWAITIFY", "awaitify_path")
if not awaitify:
    for candidate in (os.path.join(source_dir, "build", "tool", "cli", "awaitify"),):
        if os.path.isfile(candidate):
            awaitify = candidate
            break
    else:
        awaitify = shutil.which("awaitify")
if not awaitify or not os.access(awaitify, os.X_OK):
    lit_config.fatal(
        "cannot find the awaitify binary (%r): run through CMake, or pass "
        "--param awaitify=/path/to/awaitify (or set AWAITIFY)" % awaitify)

runtime_include = setting("runtime_include", "AWAITIFY_RUNTIME_INCLUDE",
                          "runtime_include",
                          os.path.join(source_dir, "runtime", "include"))
clangxx = setting("clangxx", "CLANGXX", "clangxx_path") or shutil.which(
    "clang++-19") or shutil.which("clang++")
if not clangxx:
    lit_config.fatal("cannot find clang++: pass --param clangxx=...")

llvm_tools_dir = setting("llvm_tools_dir", "LLVM_TOOLS_DIR", "llvm_tools_dir")
if not llvm_tools_dir:
    llvm_config = shutil.which("llvm-config-19") or shutil.which("llvm-config")
    if llvm_config:
        llvm_tools_dir = subprocess.check_output(
            [llvm_config, "--bindir"], text=True).strip()
    else:
        llvm_tools_dir = "/usr/lib/llvm-19/bin"
if not os.path.isfile(os.path.join(llvm_tools_dir, "FileCheck")):
    lit_config.fatal("no FileCheck in %r: pass --param llvm_tools_dir=..."
                     % llvm_tools_dir)

# FileCheck, not, count and split-file come from the LLVM tools.
config.environment["PATH"] = os.pathsep.join(
    [llvm_tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])
# The tool prints paths relative to the working directory and colours only
# terminals; keep the environment plain.
for var in ("AWAITIFY", "CLANG_FORMAT_STYLE"):
    config.environment.pop(var, None)

config.substitutions.append(("%awaitify", awaitify))


def clang_tidy_19():
    """clang-tidy of LLVM 19 (the coroutine checks of rewrites), or None."""
    for candidate in (shutil.which("clang-tidy-19"),
                      os.path.join(llvm_tools_dir, "clang-tidy")):
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        try:
            version = subprocess.run([candidate, "--version"], check=True,
                                     capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError):
            continue
        if "LLVM version 19." in version:
            return candidate
    return None


# Every compile of a rewrite goes through Inputs/check_rewrite.py, which runs
# the compiler unchanged and then checks the rewrite (clang-tidy's coroutine
# checks, brace style, include order): see its docstring. lit expands the
# config's substitutions before its own, so the %s and %t written here name
# the test and its temporary path.
clang_tidy = clang_tidy_19()
if clang_tidy:
    config.available_features.add("clang-tidy")
else:
    lit_config.note("clang-tidy-19 not found: rewrites are compiled without "
                    "the coroutine checks (scripts/install-deps.sh installs it)")
check_rewrite = "%s %s --clang %s %s --test %%s --tmp %%t" % (
    sys.executable, os.path.join(this_dir, "lit", "Inputs", "check_rewrite.py"),
    clangxx, "--clang-tidy " + clang_tidy if clang_tidy else "--no-clang-tidy")
config.substitutions.append(
    ("%clangxx", "%s -- %s -std=c++20 -fsyntax-only -I%s"
     % (check_rewrite, clangxx, runtime_include)))
config.substitutions.append(("%check_rewrite", check_rewrite))
# The compiler itself, for tests that build and run programs.
config.substitutions.append(("%build_cxx", clangxx))
config.substitutions.append(("%runtime_include", runtime_include))
config.substitutions.append(
    ("%expect_exit", "%s %s" % (sys.executable, os.path.join(
        this_dir, "lit", "Inputs", "expect_exit.py"))))


def permissions_feature():
    """How to run a command that file permissions apply to, or None.

    chmod 000 does not stop root from reading a file. As root we run such
    commands as `nobody` through setpriv when we can; otherwise the tests
    that need it are UNSUPPORTED."""
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "probe")
        with open(probe, "w") as f:
            f.write("x")
        os.chmod(probe, 0)
        try:
            open(probe).close()
            blocked = False
        except OSError:
            blocked = True
        os.chmod(probe, 0o644)
    if blocked:
        return ""
    setpriv = shutil.which("setpriv")
    if os.getuid() != 0 or not setpriv:
        return None
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    try:
        subprocess.run(prefix + [awaitify, "--version"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError):
        return None
    return " ".join(prefix)


unprivileged = permissions_feature()
if unprivileged is not None:
    config.available_features.add("permissions")
config.substitutions.append(("%unprivileged", unprivileged or ""))

# Boost 1.81's headers, unpacked beside the system's Boost by
# scripts/install-deps.sh: tests of what awaitify writes for Asio 1.26.
boost181 = os.environ.get("AWAITIFY_BOOST181_DIR") or os.path.join(
    os.path.expanduser("~"), ".cache", "awaitify", "boost-1.81")
boost181_include = os.path.join(boost181, "usr", "include")
if os.path.isfile(os.path.join(boost181_include, "boost", "asio.hpp")):
    config.available_features.add("boost181")
config.substitutions.append(("%boost181_include", boost181_include))

# Run as root: what only root may do (give a file to another owner).
if hasattr(os, "getuid") and os.getuid() == 0:
    config.available_features.add("root")

# g++, for tests that build the user's program with a g++ build's commands.
if shutil.which("g++"):
    config.available_features.add("gxx")
config.substitutions.append(("%python", sys.executable))
