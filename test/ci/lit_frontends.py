# -*- Python -*-
# Shared by the lit.local.cfg of test/tidy, test/clangd and test/ci: the
# paths and features of the front-end tests, on top of test/lit.cfg.py.
#
# Paths come from --param NAME=..., then the environment, then
# <build>/test/<folder>/lit.frontends.json (written by CMake), then defaults
# beside the awaitify binary:
#
#   %tidy_plugin               awaitify-tidy.so       tidy_plugin / AWAITIFY_TIDY_PLUGIN
#   %clang_tidy                clang-tidy-19          clang_tidy / CLANG_TIDY
#   %clang_apply_replacements  clang-apply-replacements-19
#                                                     clang_apply_replacements / CLANG_APPLY_REPLACEMENTS
#   %awaitify_clangd           awaitify-clangd        awaitify_clangd / AWAITIFY_CLANGD
#   %sarif_multitool           the SARIF validator    sarif_multitool / SARIF_MULTITOOL
#   %cxx                       clang++ -std=c++20 -I<runtime> (builds programs)
#   %python                    this Python
#   %doc_snippet               prints a marked example of docs/ (doc_snippet.py)
#   %docs                      the docs/ folder
#   %srcroot                   the project's source tree
#
# Features: sarif-multitool, pre-commit, awaitify-clangd.
#
# Every substitution is put before test/lit.cfg.py's, so that its
# `%awaitify` does not eat the front of `%awaitify_clangd`.

import json
import os
import re
import shutil
import subprocess
import sys


def _frontends(config, lit_config, folder):
    exec_dir = os.path.join(config.test_exec_root, folder)
    os.makedirs(exec_dir, exist_ok=True)
    site = {}
    site_file = os.path.join(exec_dir, "lit.frontends.json")
    if os.path.isfile(site_file):
        with open(site_file) as f:
            site = json.load(f)

    def setting(param, env, default=None):
        return (lit_config.params.get(param) or os.environ.get(env)
                or site.get(param) or default)

    source_root = os.path.dirname(config.test_source_root)
    awaitify = site.get("awaitify") or getattr(config, "awaitify_path", None)
    if not awaitify:
        awaitify = next((v for k, v in config.substitutions if k == "%awaitify"),
                        None)
    build_dir = site.get("build_dir") or os.path.dirname(
        os.path.dirname(os.path.dirname(awaitify)))
    llvm_major = site.get("llvm_major", "19")
    tools_dir = getattr(config, "llvm_tools_dir", None) or \
        "/usr/lib/llvm-%s/bin" % llvm_major

    def program(param, env, names):
        value = setting(param, env)
        if value:
            return value
        for name in names:
            found = shutil.which(name) or (
                os.path.join(tools_dir, name)
                if os.path.isfile(os.path.join(tools_dir, name)) else None)
            if found:
                return found
        return names[0]

    tidy_plugin = setting("tidy_plugin", "AWAITIFY_TIDY_PLUGIN",
                          os.path.join(build_dir, "tool", "tidy",
                                       "awaitify-tidy.so"))
    clang_tidy = program("clang_tidy", "CLANG_TIDY",
                         ["clang-tidy-" + llvm_major, "clang-tidy"])
    car = program("clang_apply_replacements", "CLANG_APPLY_REPLACEMENTS",
                  ["clang-apply-replacements-" + llvm_major,
                   "clang-apply-replacements"])
    clangd = setting("awaitify_clangd", "AWAITIFY_CLANGD",
                     os.path.join(build_dir, "tool", "clangd",
                                  "awaitify-clangd"))
    if os.access(clangd, os.X_OK):
        config.available_features.add("awaitify-clangd")

    # A clang-tidy of another LLVM loads the plugin and silently runs none
    # of its checks: refuse to run rather than pass on nothing.
    try:
        version = subprocess.run([clang_tidy, "--version"], check=True,
                                 capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        lit_config.fatal("cannot run clang-tidy %r: %s" % (clang_tidy, e))
    match = re.search(r"LLVM version (\d+)", version)
    if not match or match.group(1) != llvm_major:
        lit_config.fatal(
            "%s is not LLVM %s (it says %r): it would load the awaitify "
            "plugin and report nothing. Pass --param clang_tidy=..."
            % (clang_tidy, llvm_major, version.strip()))

    sarif = setting("sarif_multitool", "SARIF_MULTITOOL")
    if not sarif:
        for prefix in (os.path.join(build_dir, "npm"),
                       os.path.join(source_root, "build", "npm"),
                       os.environ.get("AWAITIFY_NPM_PREFIX", "")):
            candidate = os.path.join(prefix, "node_modules", ".bin",
                                     "sarif-multitool")
            if prefix and os.access(candidate, os.X_OK):
                sarif = candidate
                break
        else:
            sarif = shutil.which("sarif-multitool")
    if sarif:
        config.available_features.add("sarif-multitool")
    if shutil.which("pre-commit"):
        config.available_features.add("pre-commit")

    runtime_include = getattr(config, "runtime_include", None) or \
        os.path.join(source_root, "runtime", "include")
    clangxx = getattr(config, "clangxx_path", None) or shutil.which(
        "clang++-" + llvm_major) or "clang++"
    python = sys.executable
    ci_dir = os.path.join(config.test_source_root, "ci")
    subs = [
        ("%tidy_plugin", tidy_plugin),
        ("%clang_tidy", clang_tidy),
        ("%clang_apply_replacements", car),
        ("%awaitify_clangd", clangd),
        ("%sarif_multitool", sarif or "sarif-multitool-not-installed"),
        ("%cxx", "%s -std=c++20 -I%s" % (clangxx, runtime_include)),
        ("%python", python),
        ("%doc_snippet", "%s %s" % (python, os.path.join(ci_dir,
                                                         "doc_snippet.py"))),
        ("%docs", os.path.join(source_root, "docs")),
        ("%srcroot", source_root),
    ]
    config.substitutions[0:0] = subs
    # Tests make their own git repositories; keep the user's git config out.
    config.environment["GIT_CONFIG_NOSYSTEM"] = "1"
    config.environment["HOME"] = exec_dir
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        config.environment.pop(var, None)
    config.environment["GIT_AUTHOR_NAME"] = config.environment[
        "GIT_COMMITTER_NAME"] = "awaitify tests"
    config.environment["GIT_AUTHOR_EMAIL"] = config.environment[
        "GIT_COMMITTER_EMAIL"] = "tests@awaitify.invalid"
    # pre-commit keeps its cache under $HOME unless told otherwise.
    config.environment["PRE_COMMIT_HOME"] = os.path.join(exec_dir,
                                                         "pre-commit-cache")
    # The front-end binaries find their tools (clang-tidy, awaitify) on PATH.
    config.environment["PATH"] = os.pathsep.join(
        [os.path.dirname(awaitify), config.environment["PATH"]])
