#!/usr/bin/env python3
"""Compile a rewritten file, then check three properties of the rewrite.

Usage (lit's %clangxx and %check_rewrite expand to the first part):

    check_rewrite.py [--test FILE] [--tmp PATH] [--original FILE]...
                     [--clang-tidy EXE | --no-clang-tidy] [--clang EXE]
                     [--] COMMAND ARG...

COMMAND (a compiler command line) runs first, unchanged: same output, same
exit status. Only when it succeeds are the source files among its arguments
(*.cpp, *.cc, *.cxx, *.c++) checked; any failure is printed on stderr as
`check_rewrite: error: FILE:LINE: ...` and the exit status becomes 1.

1. Coroutine checks. Every source whose code (comments and strings left
   out) holds co_await, co_return or co_yield -- or includes, with quotes, a
   header of its own folder that does -- goes through clang-tidy with only
   cppcoreguidelines-avoid-capturing-lambda-coroutines and
   cppcoreguidelines-avoid-reference-coroutine-parameters, as errors, on the
   command's own flags (without -o/-c; with -w, so the compiler's own
   warnings never count) and --config={} (no .clang-tidy of the tree can
   change the checks). Headers of the source's own folder are checked too
   (--header-filter). When COMMAND is GCC, the flags clang does not know are
   dropped (asked from the clang driver) and Boost.Asio's coroutines are
   turned on as Boost turns them on for GCC. With --no-clang-tidy (clang-tidy
   19 is not installed) this check is skipped with a note.

2. Brace style. An opening brace is *counted* when it opens the body of a
   function or of a control statement. Its *header* is the code before the
   `{` when a line ends with `{` (an *attached* brace), or the code line
   before a line that is only `{` (a *wrapped* brace), joined with the
   lines above while it has more `)` than `(`. A brace is counted when its
   header's parentheses balance and the header either starts with if,
   else, for, while, switch, do, try or catch (after an optional `}`), or
   ends with `)` and only qualifiers after it (const, noexcept, override,
   final, &, &&, a trailing return type). So the braces of lambdas (`]`
   followed by `(`, `{`, `mutable`, `->`..., or a `(` left open by a call
   the lambda is passed to: clang-format keeps them attached even in its
   Allman preset), of initialisers (a header ending in `=`, `(`, `,` or
   starting with `return`), of classes, namespaces and enums do not count.
   The original is *Allman* when all its counted braces are wrapped, and
   *attached* when all are attached; a mix, or none, says nothing. Every
   counted brace on a line the rewrite added (a line difflib does not pair
   with an identical line of the original, indentation aside) must then
   have the original's style.

3. Include order. The original's `#include`s that the rewrite still has
   appear in the rewrite in the same order (a subsequence of its
   includes); the includes the rewrite adds, even a second copy of one the
   file has, may go anywhere.

Checks 2 and 3 need the original: --original FILE (repeatable: a source
takes the one of its own file name, else the only one given); else, from
--test (lit's %s): the split-file part (`#--- name`) at the source's path
under --tmp (lit's %t), else the part most like the source; a test without
parts is itself the original. Header parts of the test found under --tmp
are checked as well. Without an original they are skipped with a note.
"""

import difflib
import os
import re
import shutil
import subprocess
import sys

TIDY_CHECKS = ("cppcoreguidelines-avoid-capturing-lambda-coroutines,"
               "cppcoreguidelines-avoid-reference-coroutine-parameters")
SOURCE_EXTS = (".cpp", ".cc", ".cxx", ".c++")
HEADER_EXTS = (".h", ".hh", ".hpp", ".hxx", ".h++", ".inc")
# Compiler options whose value is the next argument.
OPTS_WITH_VALUE = {
    "-o", "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote",
    "-idirafter", "-x", "-MF", "-MT", "-MQ", "-Xclang", "-target",
    "--target", "-isysroot", "--sysroot", "-arch", "-Xlinker", "-L", "-l",
}
# What Boost.Asio turns on by itself for GCC but not for clang (older
# Boost): clang-tidy must read a g++ build's file as g++ does.
GCC_ASIO_FLAGS = ["-DBOOST_ASIO_HAS_CO_AWAIT", "-DBOOST_ASIO_HAS_STD_COROUTINE"]
COROUTINE_RE = re.compile(r"\bco_(await|return|yield)\b")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"][^>"]+[>"])')
PART_RE = re.compile(r"^(?:.|//)--- (\S+)\s*$")


def note(msg):
    print("check_rewrite: note: " + msg, file=sys.stderr)


def read(path):
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return f.read()


def split_lines(text):
    return [l.rstrip("\r") for l in text.split("\n")]


# --- source text -------------------------------------------------------------

def code_lines(text):
    """The lines of `text` with comments removed, string and character
    literals emptied and preprocessor lines blanked; as many lines as the
    text has, so that indexes stay line numbers."""
    out, cur = [], []
    i, n = 0, len(text)
    in_block = False
    directive = False  # inside a preprocessor line (with its continuations)
    at_line_start = True
    while i < n:
        c = text[i]
        if c == "\n":
            line = "".join(cur).rstrip("\r")
            continued = line.endswith("\\")
            out.append("" if directive else line)
            directive = directive and continued
            cur = []
            at_line_start = True
            i += 1
            continue
        if in_block:
            if text.startswith("*/", i):
                in_block = False
                cur.append(" ")
                i += 2
            else:
                i += 1
            continue
        if at_line_start and not c.isspace():
            at_line_start = False
            if c == "#":
                directive = True
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            in_block = True
            i += 2
            continue
        raw = re.match(r'(?:u8|u|U|L)?R"([^()\\\s]{0,16})\(', text[i:i + 24])
        if raw and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            end = text.find(")" + raw.group(1) + '"', i + raw.end())
            end = n if end < 0 else end + len(raw.group(1)) + 2
            # Keep the line structure of a multi-line raw string.
            cur.append('""')
            newlines = text.count("\n", i, end)
            for _ in range(newlines):
                out.append("" if directive else "".join(cur))
                cur = []
            i = end
            continue
        if c == '"' or (c == "'" and not (i > 0 and (text[i - 1].isalnum()
                                                     or text[i - 1] == "_"))):
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            cur.append(c + c)
            i = j + 1 if j < n and text[j] == c else j
            continue
        cur.append(c)
        i += 1
    line = "".join(cur).rstrip("\r")
    out.append("" if directive else line)
    return out


def includes(text):
    """[(line number, '<name>' or '"name"')] of the text's #include lines
    that are code (not in a comment)."""
    raw = split_lines(text)
    result = []
    for number, line in enumerate(raw, 1):
        m = INCLUDE_RE.match(line)
        if m and not _in_comment(text, raw, number):
            result.append((number, m.group(1)))
    return result


def _in_comment(text, raw, number):
    # An #include inside a block comment: count the comment openers before
    # the line (rare; good enough for test inputs).
    before = "\n".join(raw[:number - 1])
    stripped = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', before)
    stripped = re.sub(r"//[^\n]*", "", stripped)
    return stripped.count("/*") > stripped.count("*/")


# --- brace style ---------------------------------------------------------------

CONTROL_RE = re.compile(
    r"^(?:else\b|do\b|try\b|(?:if|for|while|switch|catch)\s*(?:constexpr\s*)?\()")
FUNCTION_END_RE = re.compile(
    r"\)\s*(?:(?:const|volatile|override|final|noexcept|&&?|"
    r"noexcept\s*\([^()]*\))\s*)*(?:->\s*[\w:<>,*&\s]+)?$")
LAMBDA_RE = re.compile(r"\]\s*(?:\(|\{|mutable\b|constexpr\b|noexcept\b|->|$)")
STATEMENT_START_RE = re.compile(r"^(?:return|co_return|co_await|co_yield|throw)\b")


def _header(code, last, first_part):
    """The header ending on line index `last` (its text `first_part`),
    joined with earlier lines while its parentheses do not balance."""
    text = first_part
    i = last
    while text.count(")") > text.count("(") and i > 0 and last - i < 20:
        i -= 1
        text = code[i] + " " + text
    return " ".join(text.split())


def counted(header):
    """Whether a brace with this header opens a function's or a control
    statement's body (see the module's docstring)."""
    h = header.lstrip("}").strip()
    # Unbalanced: the brace is inside a call (`f(a, [] {`), not a body.
    if not h or h.count("(") != h.count(")"):
        return False
    if CONTROL_RE.match(h):
        return True
    if LAMBDA_RE.search(re.sub(r"operator\s*\[\s*\]", "operator", h)):
        return False
    if STATEMENT_START_RE.match(h):
        return False
    return bool(FUNCTION_END_RE.search(h))


def braces(code):
    """[(line index of the `{`, line index of the header's end, 'attached'
    or 'wrapped')] of the counted braces of the code lines."""
    found = []
    previous = None  # index of the last non-blank code line
    for i, line in enumerate(code):
        s = line.strip()
        if not s:
            continue
        if s == "{":
            if previous is not None and counted(
                    _header(code, previous, code[previous].strip())):
                found.append((i, previous, "wrapped"))
        elif s.endswith("{"):
            if counted(_header(code, i, s[:-1])):
                found.append((i, i, "attached"))
        previous = i
    return found


def style_of(found):
    styles = {style for _, _, style in found}
    return styles.pop() if len(styles) == 1 else None


def added_lines(original, rewritten):
    """Indexes of the lines of `rewritten` that the diff does not pair with
    an identical line (indentation aside) of `original`."""
    a = [l.strip() for l in original]
    b = [l.strip() for l in rewritten]
    added = set()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("insert", "replace"):
            added.update(range(j1, j2))
    return added


def check_braces(path, original_path, original, rewritten):
    orig_code = code_lines(original)
    orig_braces = braces(orig_code)
    style = style_of(orig_braces)
    if style is None:
        return []
    new_raw = split_lines(rewritten)
    added = added_lines(split_lines(original), new_raw)
    example = orig_braces[0][0] + 1
    wanted = ("on a line of its own (Allman)" if style == "wrapped"
              else "at the end of the line")
    failures = []
    for brace, header_end, got in braces(code_lines(rewritten)):
        if got == style or not (brace in added or header_end in added):
            continue
        failures.append(
            "%s:%d: the rewrite added %s brace (`%s`), but %s puts every "
            "opening brace of a function or control statement %s (%d of "
            "them, the first at line %d)"
            % (path, brace + 1, "an attached" if got == "attached"
               else "a wrapped", new_raw[brace].strip(), original_path, wanted,
               len(orig_braces), example))
    return failures


def check_includes(path, original_path, original, rewritten):
    """The original's includes (those the rewrite still has) must be a
    subsequence of the rewrite's: an include may be added anywhere, even a
    second copy of one the file has, but none may move past another."""
    old, new = includes(original), includes(rewritten)
    kept = {name for _, name in new}
    position, previous = 0, None
    for old_line, name in old:
        if name not in kept:
            continue
        at = next((i for i in range(position, len(new))
                   if new[i][1] == name), None)
        if at is None:
            moved = max(l for l, n in new[:position] if n == name)
            return ["%s:%d: `#include %s` now comes before `#include %s` "
                    "(line %d), but after it in %s (lines %d and %d): the "
                    "rewrite must keep the order of the file's includes"
                    % (path, moved, name, previous[1], new[position - 1][0],
                       original_path, previous[0], old_line)]
        position, previous = at + 1, (old_line, name)
    return []


# --- the original of a rewritten file -----------------------------------------

def parts(test_text):
    """{name: text} of the split-file parts of a test."""
    result, name, lines = {}, None, []
    for line in test_text.split("\n"):
        m = PART_RE.match(line.rstrip("\r"))
        if m:
            if name is not None:
                result[name] = "\n".join(lines)
            name, lines = m.group(1), []
        elif name is not None:
            lines.append(line)
    if name is not None:
        result[name] = "\n".join(lines)
    return result


def similarity(a, b):
    return difflib.SequenceMatcher(
        None, [l.strip() for l in split_lines(a)],
        [l.strip() for l in split_lines(b)], autojunk=False).ratio()


def find_original(source, text, opts):
    """(label, text) of the original of `source`, or None."""
    if opts.originals:
        same = [o for o in opts.originals
                if os.path.basename(o) == os.path.basename(source)]
        if same:
            return same[0], read(same[0])
        if len(opts.originals) == 1:
            return opts.originals[0], read(opts.originals[0])
        return None
    if not opts.test or not os.path.isfile(opts.test):
        return None
    test_text = read(opts.test)
    test_parts = parts(test_text)
    if not test_parts:
        return opts.test, test_text
    if opts.tmp:
        rel = os.path.relpath(os.path.abspath(source), os.path.abspath(opts.tmp))
        if rel in test_parts:
            return "%s (part %s)" % (opts.test, rel), test_parts[rel]
    best = max(test_parts, key=lambda p: similarity(test_parts[p], text))
    if similarity(test_parts[best], text) < 0.3:
        return None
    return "%s (part %s)" % (opts.test, best), test_parts[best]


def header_parts(opts):
    """[(path under --tmp, label, original text)] of the test's header parts."""
    if not opts.test or not opts.tmp or opts.originals or \
            not os.path.isfile(opts.test):
        return []
    result = []
    for name, text in parts(read(opts.test)).items():
        path = os.path.join(opts.tmp, name)
        if name.endswith(HEADER_EXTS) and os.path.isfile(path):
            result.append((path, "%s (part %s)" % (opts.test, name), text))
    return result


# --- clang-tidy ---------------------------------------------------------------

def is_gcc(compiler):
    name = os.path.basename(compiler)
    return bool(re.match(r"^(?:.*-)?(?:g\+\+|gcc|c\+\+)(?:-\d+)?$", name))


def compile_flags(command, sources):
    """The command's flags for clang-tidy: without the compiler, the
    sources, the output and -c."""
    flags, i, args = [], 1, command
    while i < len(args):
        a = args[i]
        if a == "-o":
            i += 2
            continue
        if a == "-c" or a in sources:
            i += 1
            continue
        flags.append(a)
        if a in OPTS_WITH_VALUE and i + 1 < len(args):
            flags.append(args[i + 1])
            i += 1
        i += 1
    return flags


def unknown_to_clang(clang, flags):
    """The flags the clang driver rejects (GCC-only options)."""
    try:
        probe = subprocess.run(
            [clang, "-fsyntax-only", "-x", "c++", os.devnull] + flags,
            capture_output=True, text=True)
    except OSError:
        return set()
    return set(re.findall(r"unknown argument:? '([^']+)'", probe.stderr))


def ere_escape(path):
    return re.sub(r"([.\[\]()*+?{}|^$\\])", r"\\\1", path)


def run_tidy(opts, command, sources):
    flags = compile_flags(command, set(sources))
    if is_gcc(command[0]):
        unknown = unknown_to_clang(opts.clang, flags) if opts.clang else set()
        flags = [f for f in flags if f not in unknown] + GCC_ASIO_FLAGS
    dirs = sorted({os.path.dirname(os.path.abspath(s)) for s in sources})
    header_filter = "^(%s)/[^/]*$" % "|".join(ere_escape(d) for d in dirs)
    tidy = [opts.clang_tidy, "--config={}", "--checks=-*," + TIDY_CHECKS,
            "--warnings-as-errors=*", "--header-filter=" + header_filter,
            "--quiet"] + [os.path.abspath(s) for s in sources] + \
        ["--"] + flags + ["-w"]
    result = subprocess.run(tidy, capture_output=True, text=True)
    if result.returncode == 0:
        return []
    sys.stderr.write(result.stdout)
    sys.stderr.write("".join(
        l for l in result.stderr.splitlines(True)
        if not re.search(r"warnings? generated|^\[\d+/\d+\] Processing file", l)))
    if "[clang-diagnostic-error]" in result.stdout:
        return ["%s: clang-tidy could not parse the rewrite with these flags "
                "(see above): the coroutine checks did not run"
                % ", ".join(sources)]
    found = re.findall(r"^(.*?):(\d+):\d+: error: .*\[(cppcoreguidelines-[\w-]+)",
                       result.stdout, re.M)
    if not found:
        return ["%s: clang-tidy failed (status %d, output above)"
                % (", ".join(sources), result.returncode)]
    return ["%s:%s: the rewrite fails %s (clang-tidy, above)" % f for f in found]


def has_coroutine(text):
    return bool(COROUTINE_RE.search("\n".join(code_lines(text))))


def needs_tidy(source, text):
    if has_coroutine(text):
        return True
    folder = os.path.dirname(os.path.abspath(source))
    for _, name in includes(text):
        path = os.path.join(folder, name[1:-1])
        if name.startswith('"') and os.path.isfile(path) and \
                has_coroutine(read(path)):
            return True
    return False


# --- command line ---------------------------------------------------------------

class Options:
    def __init__(self):
        self.test = None
        self.tmp = None
        self.originals = []
        self.clang_tidy = None
        self.no_tidy = False
        self.clang = None


def parse(argv, opts):
    """Reads the options into `opts`; returns the command. A command that
    is this script again (`%check_rewrite --original F %clangxx ...`)
    is folded into this run."""
    i = 0
    with_value = {"--test": "test", "--tmp": "tmp", "--clang-tidy": "clang_tidy",
                  "--clang": "clang"}
    while i < len(argv):
        a = argv[i]
        if a == "--":
            i += 1
            break
        if a in with_value and i + 1 < len(argv):
            # The outer run's choice (an explicit --original's test) stands.
            if getattr(opts, with_value[a]) is None:
                setattr(opts, with_value[a], argv[i + 1])
            i += 2
        elif a == "--original" and i + 1 < len(argv):
            opts.originals.append(argv[i + 1])
            i += 2
        elif a == "--no-clang-tidy":
            opts.no_tidy = True
            i += 1
        elif a.startswith("--") and a not in ("--",):
            sys.exit("check_rewrite: error: unknown option %r" % a)
        else:
            break
    command = argv[i:]
    this = os.path.realpath(__file__)
    while len(command) >= 2 and os.path.basename(command[0]).startswith(
            "python") and os.path.realpath(command[1]) == this:
        command = parse(command[2:], opts)
    return command


def source_args(command):
    sources, i = [], 1
    while i < len(command):
        a = command[i]
        if a in OPTS_WITH_VALUE:
            i += 2
            continue
        if not a.startswith("-") and a.endswith(SOURCE_EXTS) and \
                os.path.isfile(a):
            sources.append(a)
        i += 1
    return sources


def main(argv):
    opts = Options()
    command = parse(argv, opts)
    if not command:
        sys.exit("check_rewrite: error: no command to run")
    status = subprocess.call(command)
    if status != 0:
        return status
    failures = []
    sources = source_args(command)
    texts = {s: read(s) for s in sources}

    tidy_sources = [s for s in sources if needs_tidy(s, texts[s])]
    if tidy_sources:
        if opts.no_tidy or not opts.clang_tidy or not (
                os.path.isfile(opts.clang_tidy) or shutil.which(opts.clang_tidy)):
            note("clang-tidy 19 not found: the coroutine checks of %s are "
                 "skipped" % ", ".join(tidy_sources))
        else:
            failures += run_tidy(opts, command, tidy_sources)

    checked = []
    for s in sources:
        original = find_original(s, texts[s], opts)
        if original is None:
            note("no original known for %s: its brace style and include "
                 "order are not checked (pass --original)" % s)
            continue
        checked.append((s, original[0], original[1], texts[s]))
    for path, label, text in header_parts(opts):
        checked.append((path, label, text, read(path)))
    for path, label, original, rewritten in checked:
        failures += check_braces(path, label, original, rewritten)
        failures += check_includes(path, label, original, rewritten)

    for f in failures:
        print("check_rewrite: error: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
