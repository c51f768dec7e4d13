#!/usr/bin/env python3
"""Generates random callback-chain programs for the awaitify end-to-end corpus.

Terms (see also /DESIGN.md, "The core rewrite"):

  scenario   everything one seed produces: a namespace `s<seed>` holding one
             to three *ops* (functions whose body is a callback chain), maybe
             a class they are members of, maybe standalone decoy functions, a
             `run()` that starts the ops, and a `report()` that prints state
             left behind. `main` runs the scenarios one after the other, each
             until the event loop (support/sim.hpp) is idle.
  op         a `void` function, free or member, whose body ends in a call of a
             completion API (support/sim.yaml) whose lambda continuation ends
             in another such call, and so on: the code awaitify rewrites.
  step       one completion call in a chain; *depth* is the number of steps
             on the longest path through an op.
  decoy      code a correct rewrite must leave alone: a completion call that
             is not in tail position, the multi-shot `sim::subscribe`, a
             callback stored in a variable first, a continuation that returns a
             value, std algorithms with lambdas. Each is fenced by
             `// DECOY-BEGIN <id>` / `// DECOY-END <id>`; the harness requires
             the tokens in between to be unchanged by the rewrite. Decoys only
             name variables of their own (copied in just before the fence), so
             renaming a chain's variables never touches them.
  note       a `// NOTE <id> ...` comment inside a continuation; the harness
             requires every note to survive the rewrite.
  idioms     what the rewrite must keep, beyond the order of the steps:
             keep-alives (`self = shared_from_this()` init-captured, or an
             `auto self` local copied by the continuations that use the
             object); a `sim::Guard` copied by the first continuation, whose
             destructor traces (it must die with that callback, so such
             chains are left alone); `sim::fetch_logged`, which traces after
             its inline callback returns (the continuation must run inside
             the call); a `throw` in a continuation that runs from the loop,
             which sim::Loop::run catches and traces (the exception must
             leave the completion call, as it left the callback).

Every program is valid C++20, compiles warning-free with -Wall -Wextra on
clang and gcc, and prints the same trace with both: the trace depends only on
the seed. The generator keeps the programs valid by construction: it builds
each continuation body first, then derives the capture list from the
variables the body really uses, and it captures by reference only what is
alive whenever the lambda runs (objects that outlive the loop, or anything
at all when the completion runs inline).

Usage:
  gen_chains.py --first 0 --count 20 -o chains_000.cpp [--stats]
  gen_chains.py --seeds 300 --per-file 20 --out-dir DIR [--stats]
"""

import argparse
import collections
import itertools
import os
import random
import sys

# --------------------------------------------------------------------------
# The simulated APIs (support/sim.hpp). `params` are the callback's parameter
# kinds; `inline` says the callback always runs inside the call.

APIS = {
    "fetch": dict(params=["int"], inline=False, weight=30),
    "fetch_now": dict(params=["int"], inline=True, weight=12),
    "fetch_logged": dict(params=["int"], inline=True, weight=8),
    "read": dict(params=["ec", "int"], inline=False, weight=18),
    "pair": dict(params=["int", "str"], inline=False, weight=12),
    "tick": dict(params=[], inline=False, weight=7),
    "get": dict(params=["str"], inline=False, weight=12),
    "async_get": dict(params=["ec", "str"], inline=False, weight=9),
}
# The APIs that never call back inside the call: a continuation of one runs
# from the loop, so what it throws reaches the loop (sim::Loop::run catches
# it). Store::get is not among them: it calls back inline on a cache hit.
POSTED = {"fetch", "read", "pair", "tick", "async_get"}
# Scope entries that are not C++ names: the code runs from the loop; the
# code is the op's own body (not a continuation).
FROM_LOOP = "@from-loop"
OP_BODY = "@op-body"

CPP_TYPE = {"int": "int", "str": "std::string", "ec": "std::error_code"}

INT_PARAM_NAMES = ["v", "v", "v", "v", "n", "x", "m", "value", "k"]
STR_PARAM_NAMES = ["s", "s", "s", "name", "word", "label"]
INT_LOCAL_NAMES = ["m", "t", "acc", "code", "v2", "sum"]
STR_LOCAL_NAMES = ["label", "msg", "tag", "text"]
INIT_CAPTURE_INT = ["base", "t", "v", "seed"]
INIT_CAPTURE_STR = ["tag", "label", "prefix", "s"]

DONE_CPP = {
    "int": "std::function<void(int)>",
    "str": "std::function<void(std::string)>",
    "void": "std::function<void()>",
}


class Var:
    """A variable the generated code can name.

    refsafe: the object outlives the event loop, so capturing it by
             reference is valid even in a lambda that runs later.
    ref_only: must be captured by reference (copying would change meaning).
    """

    _ids = itertools.count()

    def __init__(self, name, ty, refsafe=False, ref_only=False):
        self.name = name
        self.ty = ty  # int, str, ec, done_int/done_str/done_void, store, int_ref, self, this,
        #               guard, marker (not a variable: see FROM_LOOP)
        self.refsafe = refsafe
        self.ref_only = ref_only
        self.id = next(Var._ids)

    def __repr__(self):
        return "Var(%s:%s#%d)" % (self.name, self.ty, self.id)


class Code:
    """Lines with relative indentation, plus the variables they use."""

    def __init__(self):
        self.lines = []  # (indent, text)
        self.uses = set()  # Var objects named by this code (free or not)
        self.mutated = set()  # Vars assigned to
        # Vars assigned to anywhere below, copies in nested lambdas included:
        # a lambda that copies one must be mutable, or the nested lambdas see
        # its copy as const (even through a capture by reference).
        self.mutated_deep = set()
        self.depth = 0  # completion steps on the longest tail path

    def add(self, text, indent=0):
        self.lines.append((indent, text))

    def extend(self, other, indent=0):
        self.lines.extend((i + indent, t) for i, t in other.lines)
        self.uses |= other.uses
        self.mutated |= other.mutated
        self.mutated_deep |= other.mutated_deep


class Lam:
    """What a continuation body needs to know about its own lambda."""

    def __init__(self, own):
        self.own = set(own)  # names of its parameters and init-captures


class Op:
    def __init__(self, name, done_ty, has_store, has_tally, const_ref_done):
        self.name = name
        self.done_ty = done_ty  # None, "int", "str", "void"
        self.has_store = has_store
        self.has_tally = has_tally
        self.const_ref_done = const_ref_done
        self.max_depth = 0


class Scenario:
    """Generates one scenario (namespace s<seed>) from its seed."""

    def __init__(self, seed, stats):
        self.seed = seed
        self.rng = random.Random(seed * 7919 + 17)
        self.stats = stats
        self.ns = "s%d" % seed
        self.host = self.rng.choices(["free", "member", "shared"], [5, 3, 2])[0]
        self.decoy_no = 0
        self.note_no = 0
        self.step_no = 0
        self.side_depth = 0  # > 0 while generating a side chain
        self.ops = []
        self.cur = None  # Op being generated
        self.this_var = None
        # The op's `auto self` / guard, until its first continuation uses it.
        self.pending_self = None
        self.pending_guard = False

    # ------------------------------------------------------------ helpers
    def chance(self, p):
        return self.rng.random() < p

    def count(self, what):
        self.stats[what] += 1

    def label(self):
        self.step_no += 1
        return '"%s.%s.%d"' % (self.ns, self.cur.name, self.step_no)

    def new_decoy_id(self):
        self.decoy_no += 1
        return "%s_d%d" % (self.ns, self.decoy_no)

    # Member access from the current scope: self->m when a lambda holds
    # `self`, else through `this` (captured when inside a lambda).
    def member(self, scope, name):
        if self.host == "free":
            return None
        if self.host == "shared" and "self" in scope:
            return ("self->" + name, {scope["self"]})
        if "this" in scope:
            return (name, {scope["this"]})
        return None

    def int_vars(self, scope):
        return [v for v in scope.values() if v.ty in ("int", "int_ref")]

    def str_vars(self, scope):
        return [v for v in scope.values() if v.ty == "str"]

    def int_atom(self, scope, prefer=()):
        """An int-valued expression over the scope: (text, uses)."""
        cands = [v for v in prefer if v.ty in ("int", "int_ref")]
        if not cands or self.chance(0.3):
            cands = self.int_vars(scope) or cands
        r = self.rng.random()
        if r < 0.1:
            m = self.member(scope, "total_" if self.host == "member" else "seen_")
            if m:
                return ("%s %% 50" % m[0], m[1])
        if r < 0.2:
            strs = self.str_vars(scope)
            if strs:
                s = self.rng.choice(strs)
                return ("static_cast<int>(%s.size())" % s.name, {s})
        if cands:
            v = self.rng.choice(cands)
            return (v.name, {v})
        return (str(self.rng.randint(1, 40)), set())

    def int_expr(self, scope, prefer=()):
        a, ua = self.int_atom(scope, prefer)
        r = self.rng.random()
        if r < 0.35:
            return ("%s + %d" % (a, self.rng.randint(1, 9)), ua)
        if r < 0.6:
            b, ub = self.int_atom(scope, prefer)
            return ("%s + %s" % (a, b), ua | ub)
        if r < 0.8:
            return ("%s * %d" % (a, self.rng.randint(2, 4)), ua)
        return (a, ua)

    def key_expr(self, scope, prefer=()):
        e, u = self.int_expr(scope, prefer)
        if e.isdigit():
            return (e, u)
        return ("(%s) %% %d" % (e, self.rng.choice([40, 50, 60, 97])), u)

    def str_expr(self, scope, prefer=()):
        strs = [v for v in prefer if v.ty == "str"] or self.str_vars(scope)
        r = self.rng.random()
        if strs and r < 0.6:
            s = self.rng.choice(strs)
            if self.chance(0.5):
                i, ui = self.int_atom(scope, prefer)
                return ('%s + "#" + std::to_string(%s)' % (s.name, i), {s} | ui)
            return (s.name, {s})
        if r < 0.75:
            m = self.member(scope, "name_" if self.host == "member" else "tag_")
            if m:
                return (m[0] + ' + "!"', m[1])
        i, ui = self.int_atom(scope, prefer)
        return ('"w" + std::to_string(%s)' % i, ui)

    def cond(self, scope, prefer=()):
        strs = [v for v in prefer if v.ty == "str"]
        if strs and self.chance(0.3):
            s = self.rng.choice(strs)
            return ("%s.size() > %du" % (s.name, self.rng.randint(3, 6)), {s})
        a, ua = self.int_atom(scope, prefer)
        r = self.rng.random()
        if r < 0.5:
            return ("%s %% 2 == 0" % a, ua)
        if r < 0.75:
            return ("%s > %d" % (a, self.rng.randint(20, 70)), ua)
        return ("%s %% 3 != 1" % a, ua)

    def trace_parts(self, vars_):
        parts, uses = [], set()
        for v in vars_:
            if v.ty in ("int", "int_ref", "str"):
                parts.append('"%s=", %s' % (v.name, v.name))
                uses.add(v)
        return parts, uses

    def done_call(self, scope, prefer, failed=False, ec=None):
        """`done(...)` for the current op, or a final trace when it has none."""
        code = Code()
        op = self.cur
        if op.done_ty is None or self.side_depth:
            if failed:
                code.add('sim::trace(%s, "gave up");' % self.label())
            else:
                e, u = self.int_expr(scope, prefer)
                code.add('sim::trace(%s, "end", %s);' % (self.label(), e))
                code.uses |= u
            return code
        done = scope["done"]
        code.uses.add(done)
        if op.done_ty == "int":
            if failed:
                code.add("done(-1);")
            else:
                e, u = self.int_expr(scope, prefer)
                code.add("done(%s);" % e)
                code.uses |= u
        elif op.done_ty == "str":
            if failed:
                code.add('done("error: " + %s.message());' % ec.name)
                code.uses.add(ec)
            else:
                e, u = self.str_expr(scope, prefer)
                code.add("done(%s);" % e)
                code.uses |= u
        else:
            code.add("done();")
        return code

    def note(self, what):
        self.note_no += 1
        self.count("note comments")
        return "// NOTE %s_n%d: %s" % (self.ns, self.note_no, what)

    # -------------------------------------------------------------- decoys
    def decoy_inputs(self, scope, prefer, did, want_done):
        """Copies chain values into decoy-owned variables, outside the fence."""
        code = Code()
        key = "%s_key" % did
        e, u = self.key_expr(scope, prefer)
        code.add("int %s = %s;" % (key, e))
        code.uses |= u
        dn = None
        if want_done and self.cur.done_ty and not self.side_depth:
            dn = "%s_done" % did
            code.add("auto %s = done;" % dn)
            code.uses.add(scope["done"])
        return code, key, dn

    def fenced(self, did, body_lines):
        code = Code()
        code.add("// DECOY-BEGIN %s" % did)
        for ind, t in body_lines:
            code.add(t, ind)
        code.add("// DECOY-END %s" % did)
        return code

    def side_call_lines(self, did, key, api):
        """A completion call with a callback that only traces (for decoys)."""
        q = '"%s"' % did
        v = "%s_v" % did
        if api == "fetch" or api == "fetch_now":
            return [(0, "sim::%s(%s, [](int %s) { sim::trace(%s, \"side\", %s); });"
                     % (api, key, v, q, v))]
        if api == "read":
            return [
                (0, "sim::read(%s, [](std::error_code %s_ec, int %s) {" % (key, did, v)),
                (1, 'sim::trace(%s, "side", %s_ec.value(), %s);' % (q, did, v)),
                (0, "});"),
            ]
        if api == "tick":
            return [(0, 'sim::tick([%s] { sim::trace(%s, "side tick", %s); });' % (key, q, key))]
        return [
            (0, "g_store.get(%s, [](const std::string& %s) {" % (key, v)),
            (1, 'sim::trace(%s, "side", %s);' % (q, v)),
            (0, "});"),
        ]

    def decoy_prelude(self, scope, prefer):
        """A decoy that sits before the tail action of a body (non-tail)."""
        kind = self.rng.choice(["nontail", "nontail", "nontail_block", "subscribe", "algo"])
        did = self.new_decoy_id()
        self.count("decoy: " + kind)
        code, key, _ = self.decoy_inputs(scope, prefer, did, False)
        code.extend(self.fenced(did, self.decoy_lines(kind, did, key)))
        return code

    def decoy_lines(self, kind, did, key):
        q = '"%s"' % did
        if kind in ("nontail", "nontail_block"):
            api = self.rng.choice(["fetch", "fetch", "fetch_now", "read", "tick", "get"])
            call = self.side_call_lines(did, key, api)
            if kind == "nontail":
                return call + [(0, 'sim::trace(%s, "after the side call");' % q)]
            return ([(0, "if (%s >= 0) {" % key)] + [(i + 1, t) for i, t in call]
                    + [(0, "}"), (0, 'sim::trace(%s, "after the block");' % q)])
        if kind == "subscribe":
            i = "%s_i" % did
            return [
                (0, "sim::subscribe(%s %% 3 + 1, [%s](int %s) {" % (key, key, i)),
                (1, 'sim::trace(%s, "event", %s, %s);' % (q, i, key)),
                (0, "});"),
            ]
        if kind == "algo":
            xs = "%s_xs" % did
            return [
                (0, "std::vector<int> %s{%s %% 7, %s %% 5, %s %% 11, 4};" % (xs, key, key, key)),
                (0, "std::sort(%s.begin(), %s.end(), [](int a, int b) { return a > b; });"
                 % (xs, xs)),
                (0, "std::for_each(%s.begin(), %s.end(), [](int x) {" % (xs, xs)),
                (1, 'sim::trace(%s, "sorted", x);' % q),
                (0, "});"),
            ]
        raise AssertionError(kind)

    def decoy_tail(self, scope, prefer):
        """A decoy that ends a path in place of `done(...)`."""
        kind = self.rng.choice(["stored", "retval"])
        did = self.new_decoy_id()
        self.count("decoy: " + kind)
        code, key, dn = self.decoy_inputs(scope, prefer, did, True)
        q = '"%s"' % did
        v = "%s_v" % did
        finish = []
        if dn:
            arg = {"int": v, "str": "std::to_string(%s)" % v, "void": ""}[self.cur.done_ty]
            finish = [(1, "%s(%s);" % (dn, arg))]
        caps = "[%s]" % (dn or "")
        if kind == "stored":
            cb = "%s_cb" % did
            lines = ([(0, "std::function<void(int)> %s = %s(int %s) {" % (cb, caps, v)),
                      (1, 'sim::trace(%s, "stored callback", %s);' % (q, v))]
                     + finish + [(0, "};"), (0, "sim::fetch(%s, %s);" % (key, cb))])
        else:
            lines = ([(0, "sim::fetch(%s, %s(int %s) {" % (key, caps, v)),
                      (1, 'sim::trace(%s, "returns a value", %s);' % (q, v))]
                     + finish + [(1, "return %s * 2;" % v), (0, "});")])
        code.extend(self.fenced(did, lines))
        return code

    def decoy_function(self):
        """A standalone function that is a decoy as a whole."""
        kind = self.rng.choice(["nontail", "nontail_block", "subscribe", "algo", "stored_void"])
        did = self.new_decoy_id()
        self.count("decoy fn: " + kind)
        key = "%s_key" % did
        if kind == "stored_void":
            q = '"%s"' % did
            lines = [
                (0, "std::function<void()> %s_cb = [%s] { sim::trace(%s, \"stored tick\", %s); };"
                 % (did, key, q, key)),
                (0, "sim::tick(%s_cb);" % did),
            ]
        else:
            lines = self.decoy_lines(kind, did, key)
        name = "decoy_%d" % self.decoy_no
        out = ["void %s(int %s) {" % (name, key)]
        out += ["  // DECOY-BEGIN %s" % did]
        out += ["  " + "  " * i + t for i, t in lines]
        out += ["  // DECOY-END %s" % did, "}"]
        return name, out

    # -------------------------------------------------------------- bodies
    def body(self, scope, depth, lam, must=(), branch_ok=True, in_arm=False,
             no_tail_decoy=False):
        """Statements of a continuation (or function) body ending in a tail
        action: a completion call when depth > 0, else a terminal."""
        scope = dict(scope)
        code = Code()
        prefer = [v for v in must if v.ty != "ec"]
        declared = set()  # Vars declared in this body
        seen_names = set()  # names used so far in this body (locals must not reuse)

        def use(c):
            for v in c.uses:
                seen_names.add(v.name)
            code.extend(c)

        # Error-first: bail out first, as such code usually does.
        ec = next((v for v in must if v.ty == "ec"), None)
        if ec is not None:
            c = Code()
            c.add("if (%s) {" % ec.name)
            c.add('sim::trace(%s, "failed", %s.message());' % (self.label(), ec.name), 1)
            c.extend(self.done_call(scope, prefer, failed=True, ec=ec), 1)
            c.add("return;", 1)
            c.add("}")
            c.uses.add(ec)
            use(c)
            self.count("error-first check")

        # Show what arrived.
        shown = [v for v in must if v.ty in ("int", "str")]
        extra = self.int_vars(scope)
        if extra and self.chance(0.3):
            shown.append(self.rng.choice(extra))
        if shown or self.chance(0.5):
            parts, u = self.trace_parts(dict.fromkeys(shown))
            c = Code()
            c.add("sim::trace(%s);" % ", ".join([self.label()] + parts))
            c.uses |= u
            use(c)

        if lam is not None and self.chance(0.35):
            code.add(self.note(self.rng.choice([
                "the value has arrived; keep going",
                "this comment must survive the rewrite",
                "checked above, so this is the good path",
                "names repeat on purpose"])))

        # State the chain leaves behind.
        ints_here = [v for v in must if v.ty == "int"]
        if ints_here and self.chance(0.4):
            v = self.rng.choice(ints_here)
            c = Code()
            m = self.member(scope, "total_" if self.host == "member" else "seen_")
            if m and self.chance(0.7):
                c.add("%s += %s;" % (m[0], v.name))
                c.uses |= m[1] | {v}
                self.count("state: member")
            else:
                c.add("g_tally += %s;" % v.name)
                c.uses.add(v)
                self.count("state: global")
            use(c)

        # A counter carried along by value (mutable lambdas) or by reference.
        hops = scope.get("hops")
        if hops is not None and lam is not None and self.chance(0.5):
            c = Code()
            c.add("++hops;")
            c.add('sim::trace(%s, "hops=", hops);' % self.label())
            c.uses.add(hops)
            c.mutated.add(hops)
            use(c)
            self.count("mutable counter")

        # A local derived from what arrived (its name may repeat an outer one).
        if self.chance(0.3):
            is_str = self.chance(0.35)
            pool = STR_LOCAL_NAMES if is_str else INT_LOCAL_NAMES
            names = [n for n in pool if n not in seen_names and n not in (lam.own if lam else ())
                     and n not in ("hops", "done", "self")]
            if names:
                name = self.rng.choice(names)
                e, u = (self.str_expr if is_str else self.int_expr)(scope, prefer)
                if u and name not in {x.name for x in u}:
                    var = Var(name, "str" if is_str else "int")
                    c = Code()
                    c.add("%s %s = %s;" % ("const std::string" if is_str else "const int", name, e))
                    c.uses |= u
                    use(c)
                    if name in scope:
                        self.count("local shadows an outer name")
                    scope[name] = var
                    declared.add(var)
                    prefer.insert(0, var)
                    seen_names.add(name)
                    self.count("local variable")

        # Non-tail code: decoys and side chains.
        if not self.side_depth and self.chance(0.09):
            use(self.decoy_prelude(scope, prefer))
        if not self.side_depth and depth > 0 and self.chance(0.07):
            use(self.side_chain(scope, prefer))

        # An early exit on a plain value.
        if depth > 0 and branch_ok and lam is not None and self.chance(0.12):
            cnd, u = self.cond(scope, prefer)
            c = Code()
            c.add("if (%s) {" % cnd)
            c.add('sim::trace(%s, "early exit");' % self.label(), 1)
            c.extend(self.done_call(scope, prefer), 1)
            c.add("return;", 1)
            c.add("}")
            c.uses |= u
            use(c)
            self.count("early return")

        # The tail action.
        tail = self.tail(scope, depth, lam, prefer, branch_ok, in_arm, no_tail_decoy)
        use(tail)

        # Whatever was declared here must be used (-Wall): trace leftovers.
        # (A Var is only reachable after its declaration, so any recorded use
        # is a use after it.)
        unused = [v for v in declared if v not in code.uses]
        if unused:
            parts, u = self.trace_parts(unused)
            # Insert before the tail (after the declarations).
            n_tail = len(tail.lines)
            code.lines.insert(len(code.lines) - n_tail,
                              (0, "sim::trace(%s);" % ", ".join([self.label()] + parts)))
            code.uses |= u

        code.uses -= declared
        code.mutated -= declared
        code.mutated_deep -= declared
        code.depth = tail.depth
        return code

    def tail(self, scope, depth, lam, prefer, branch_ok, in_arm, no_tail_decoy):
        if depth == 0:
            return self.terminal(scope, prefer, in_arm, no_tail_decoy)
        r = self.rng.random()
        if branch_ok and r < 0.18:
            return self.if_branch(scope, depth, lam, prefer)
        if branch_ok and r < 0.22:
            return self.switch_branch(scope, depth, lam, prefer)
        return self.call(scope, depth, prefer)

    def terminal(self, scope, prefer, in_arm, no_tail_decoy):
        code = Code()
        r = self.rng.random()
        if not self.side_depth and not no_tail_decoy and r < 0.1:
            code.extend(self.decoy_tail(scope, prefer))
            return code
        if not self.side_depth and FROM_LOOP in scope and self.chance(0.07):
            # Leaves the completion call that ran this code, to the loop,
            # which traces it and goes on; `done` is never called.
            code.add("throw std::runtime_error(%s);" % self.label())
            self.count("terminal: throw (the loop catches it)")
            return code
        delegates = [o for o in self.ops if o.done_ty == self.cur.done_ty and o.done_ty
                     and o.has_store == self.cur.has_store and not o.has_tally]
        if (not self.side_depth and self.cur.done_ty and delegates and r < 0.2
                and not self.cur.has_tally):
            # Hand the rest to an earlier op (a plain call, not a completion API).
            o = self.rng.choice(delegates)
            k, u = self.key_expr(scope, prefer)
            args = [k] + (["store"] if o.has_store else []) + ["done"]
            code.uses |= u | {scope["done"]}
            if o.has_store:
                code.uses.add(scope["store"])
            callee = o.name
            if self.host != "free":
                m = self.member(scope, o.name)
                callee = m[0]
                code.uses |= m[1]
            code.add("%s(%s);" % (callee, ", ".join(args)))
            self.count("terminal: delegate to another op")
        else:
            code.extend(self.done_call(scope, prefer))
            self.count("terminal: done")
        if not self.side_depth and self.chance(0.06):
            # Multi-shot API in tail position: not a completion API.
            did = self.new_decoy_id()
            self.count("decoy: subscribe in tail position")
            c, key, _ = self.decoy_inputs(scope, prefer, did, False)
            c.extend(self.fenced(did, self.decoy_lines("subscribe", did, key)))
            code.extend(c)
        elif in_arm or self.chance(0.05):
            code.add("return;")
            self.count("return; in continuation")
        return code

    def if_branch(self, scope, depth, lam, prefer):
        code = Code()
        cnd, u = self.cond(scope, prefer)
        code.uses |= u
        self.count("branch: if/else")
        then_d = depth
        else_d = self.rng.randint(0, depth)
        code.add("if (%s) {" % cnd)
        a = self.body(scope, then_d, lam, must=prefer[:1], branch_ok=False, in_arm=True)
        code.extend(a, 1)
        code.add("} else {")
        b = self.body(scope, else_d, lam, must=prefer[:1], branch_ok=False, in_arm=True)
        code.extend(b, 1)
        code.add("}")
        code.depth = max(a.depth, b.depth)
        return code

    def switch_branch(self, scope, depth, lam, prefer):
        code = Code()
        a, u = self.int_atom(scope, prefer)
        code.uses |= u
        self.count("branch: switch")
        code.add("switch (%s %% 3) {" % a)
        for i, lab in enumerate(["case 0:", "case 1:", "default:"]):
            d = depth if i == 0 else self.rng.randint(0, depth)
            code.add("%s {" % lab)
            arm = self.body(scope, d, lam, branch_ok=False, in_arm=True, no_tail_decoy=True)
            code.extend(arm, 1)
            if arm.lines[-1][1] != "return;":
                code.add("break;", 1)
            code.add("}")
            code.depth = max(code.depth, arm.depth)
        code.add("}")
        return code

    def side_chain(self, scope, prefer):
        """A non-tail completion call whose callback holds a chain of its own."""
        self.count("side chain (non-tail call with a nested chain)")
        self.side_depth += 1
        try:
            c = self.call(scope, self.rng.randint(1, 2), prefer)
        finally:
            self.side_depth -= 1
        c.add('sim::trace(%s, "after the side chain");' % self.label())
        return c

    # --------------------------------------------------------------- calls
    def call(self, scope, depth, prefer):
        """A completion call whose lambda continuation runs `depth - 1` more
        steps."""
        apis = list(APIS)
        weights = [APIS[a]["weight"] for a in apis]
        api = self.rng.choices(apis, weights)[0]
        spec = APIS[api]
        self.count("api: " + api)
        if spec["inline"]:
            self.count("completion: inline")
        code = Code()

        key, key_uses = self.key_expr(scope, prefer) if api != "tick" else ("", set())
        code.uses |= key_uses

        # The object of a method call.
        if api in ("get", "async_get"):
            if "store" in scope and self.chance(0.6):
                obj, obj_uses = "store.", {scope["store"]}
                self.count("store: reference parameter")
            else:
                m = self.member(scope, "store_") if self.chance(0.6) else None
                if m:
                    obj, obj_uses = m[0] + ".", m[1]
                    self.count("store: member")
                else:
                    obj, obj_uses = "g_store.", set()
            prefix = obj + api
            code.uses |= obj_uses
        else:
            prefix = "sim::" + api

        # Parameters: names repeat on purpose (every error code is `ec`).
        params = []
        taken = set()
        for kind in spec["params"]:
            if kind == "ec":
                name = "ec"
            else:
                pool = INT_PARAM_NAMES if kind == "int" else STR_PARAM_NAMES
                name = self.rng.choice([n for n in pool if n not in taken])
                if kind == "int" and name == "k" and "k" not in scope:
                    name = "v"
            taken.add(name)
            params.append(Var(name, kind))
        for p in params:
            if p.name in scope:
                self.count("param repeats an outer name")

        inner = dict(scope)
        inner.pop(OP_BODY, None)
        if api in POSTED:
            inner[FROM_LOOP] = Var(FROM_LOOP, "marker")
        inline = spec["inline"]
        initcaps = []  # (Var, init text)

        # Keep the object alive: the first continuation takes `self` (unless
        # the op declared `auto self = shared_from_this();` for it).
        if self.host == "shared" and "self" not in scope:
            sv = Var("self", "self")
            initcaps.append((sv, "shared_from_this()"))
            self.count("capture: self = shared_from_this()")
        elif self.chance(0.2):
            is_str = self.chance(0.5)
            pool = INIT_CAPTURE_STR if is_str else INIT_CAPTURE_INT
            names = [n for n in pool if n not in taken]
            name = self.rng.choice(names)
            if is_str:
                e, u = self.str_expr(scope, prefer)
                init = "std::string(%s)" % e if e.startswith('"') else e
            else:
                init, u = self.int_expr(scope, prefer)
            if name in {x.name for x in u}:
                self.count("init-capture named like its source")
            initcaps.append((Var(name, "str" if is_str else "int"), init))
            code.uses |= u
            self.count("capture: init-capture")
        for v, _ in initcaps:
            inner[v.name] = v
        for p in params:
            inner[p.name] = p
        own = {p.name for p in params} | {v.name for v, _ in initcaps}

        must = [p for p in params] + [v for v, _ in initcaps if v.ty != "self"]
        if self.rng.random() < 0.15:
            # Leave one value unused: its parameter becomes unnamed.
            must = [m for m in must if m.ty == "ec" or self.rng.random() < 0.5]
        sv = [v for v, _ in initcaps if v.ty == "self"]
        if not sv and OP_BODY in scope and self.pending_self is not None:
            sv = [self.pending_self]
        guard = scope.get("guard") if OP_BODY in scope and self.pending_guard else None
        bodycode = self.body(inner, depth - 1, Lam(own), must=must)
        if sv and sv[0] not in bodycode.uses:
            # The first continuation always shows the object it keeps alive.
            bodycode.lines.insert(0, (0, 'sim::trace(%s, "conn", self->id_);' % self.label()))
            bodycode.uses.add(sv[0])
        if guard is not None and guard not in bodycode.uses:
            # The first continuation holds a copy of the guard: the last copy
            # dies with the callback (or when the op returns, by reference).
            bodycode.lines.insert(0, (0, 'sim::trace(%s, "guard", %s.name());'
                                      % (self.label(), guard.name)))
            bodycode.uses.add(guard)

        # Unused initcaps would warn; trace them.
        for v, _ in initcaps:
            if v not in bodycode.uses:
                bodycode.lines.insert(0, (0, 'sim::trace(%s, "%s=", %s);' % (self.label(), v.name, v.name)))
                bodycode.uses.add(v)

        own_vars = set(params) | {v for v, _ in initcaps}
        free = {v for v in bodycode.uses if v not in own_vars}
        free = sorted((v for v in free if v.ty != "global"), key=lambda v: v.id)
        mutated = {v for v in bodycode.mutated if v in free}
        deep = {v for v in bodycode.mutated | bodycode.mutated_deep if v in free}

        caps, by_ref = self.captures(free, initcaps, inline, mutated)
        needs_mutable = any(v in deep and v not in by_ref for v in free)
        # Capturing by reference passes mutations through to the outer scope.
        code.uses |= set(free)
        code.mutated |= {v for v in mutated if v in by_ref}
        code.mutated_deep |= deep

        # Parameter list; unused parameters lose their names.
        plist = []
        generic = self.chance(0.03) and len(params) == 1
        for p in params:
            ty = CPP_TYPE[p.ty]
            if generic:
                ty = "auto"
                self.count("generic lambda parameter (auto)")
            elif p.ty == "str" and self.chance(0.15):
                ty = "const std::string&"
                self.count("const& callback parameter")
            if p in bodycode.uses:
                plist.append("%s %s" % (ty, p.name))
            else:
                plist.append(ty)
                self.count("unnamed callback parameter")
        head = "%s(%s)%s" % (caps, ", ".join(plist), " mutable" if needs_mutable else "")
        if needs_mutable:
            self.count("mutable lambda")
        if api == "tick":
            code.add("%s(%s {" % (prefix, head))
        else:
            code.add("%s(%s, %s {" % (prefix, key, head))
        # The lambda's own names stay inside; outside, it uses what it captures.
        outer = set(code.uses), set(code.mutated), set(code.mutated_deep)
        code.extend(bodycode, 1)
        code.uses, code.mutated, code.mutated_deep = outer
        code.add("});")
        code.depth = 1 + bodycode.depth
        return code

    def captures(self, free, initcaps, inline, mutated):
        """Capture list text and the set captured by reference."""
        by_ref = set()
        has_this = any(v.ty == "this" for v in free)
        ref_only = [v for v in free if v.ref_only]
        ref_ok = all(v.refsafe or v.ty == "this" or inline for v in free)
        inits = ["%s = %s" % (v.name, init) for v, init in initcaps]
        r = self.rng.random()
        if free and ref_ok and r < (0.45 if inline else 0.2):
            self.count("capture: [&]")
            by_ref = {v for v in free if v.ty != "this"}
            return "[%s]" % ", ".join(["&"] + inits), by_ref
        if free and r < 0.4 and not ref_only:
            self.count("capture: [=]")
            parts = ["="] + (["this"] if has_this else []) + inits
            return "[%s]" % ", ".join(parts), by_ref
        parts = []
        for v in free:
            if v.ty == "this":
                parts.append("this")
                self.count("capture: this")
            elif v.ref_only or (v.refsafe and v.ty != "int_ref" and self.chance(0.5)):
                parts.append("&" + v.name)
                by_ref.add(v)
                self.count("capture: &name")
            elif inline and v not in mutated and self.chance(0.25):
                parts.append("&" + v.name)
                by_ref.add(v)
                self.count("capture: &name (inline)")
            else:
                parts.append(v.name)
                if v.ty == "int_ref":
                    self.count("capture: reference parameter by value (copy at the call)")
                else:
                    self.count("capture: by value")
        return "[%s]" % ", ".join(parts + inits), by_ref

    # ----------------------------------------------------------------- ops
    def gen_op(self, op):
        """The definition of one op: (signature pieces, body lines)."""
        self.cur = op
        self.step_no = 0
        scope = {OP_BODY: Var(OP_BODY, "marker")}
        k = Var("k", "int")
        scope["k"] = k
        params = ["int k"]
        if op.has_store:
            scope["store"] = Var("store", "store", refsafe=True, ref_only=True)
            params.append("sim::Store& store")
        if op.has_tally:
            # Not refsafe: a lambda that copied it must not hand out a
            # reference to its copy.
            scope["tally"] = Var("tally", "int_ref")
            params.append("int& tally")
        if op.done_ty:
            scope["done"] = Var("done", "done_" + op.done_ty)
            t = DONE_CPP[op.done_ty]
            params.append(("const %s& done" if op.const_ref_done else "%s done") % t)
        if self.host != "free":
            scope["this"] = self.this_var
        pre = Code()
        must = [k]
        if op.has_tally:
            must.append(scope["tally"])
        if self.chance(0.2):
            hv = Var("hops", "int")
            pre.add("int hops = 0;")
            scope["hops"] = hv
            self.count("mutable counter declared")
        self.pending_self = None
        if self.host == "shared" and self.chance(0.5):
            # The keeper as a local, captured by the continuations that use
            # the object: `[this, self]`, `[self]` or `[=]`.
            self.pending_self = Var("self", "self")
            scope["self"] = self.pending_self
            pre.add("auto self = shared_from_this();")
            self.count("keep-alive: auto self = shared_from_this(); captured")
        self.pending_guard = False
        if self.chance(0.08):
            # A guard whose destructor the trace shows, copied by the first
            # continuation: it must die when that callback did.
            scope["guard"] = Var("guard", "guard")
            pre.add('sim::Guard guard("%s.%s");' % (self.ns, op.name))
            self.pending_guard = True
            self.count("guard copied by the first continuation")
        depth = self.rng.choices([1, 2, 3, 4, 5], [2, 4, 5, 4, 3])[0]
        body = self.body(scope, depth, None, must=must)
        # Every parameter and counter is used (-Wall -Wextra).
        for name in ("hops", "tally", "k"):
            if name in scope and scope[name] not in body.uses:
                body.lines.insert(0, (0, 'sim::trace("%s.%s", "%s=", %s);'
                                      % (self.ns, op.name, name, name)))
        if "done" in scope and scope["done"] not in body.uses:
            # Every path ends in a throw.
            body.lines.insert(0, (0, 'sim::trace("%s.%s", "done set", static_cast<bool>(done));'
                                  % (self.ns, op.name)))
        if "store" in scope and scope["store"] not in body.uses:
            body.lines.insert(0, (0, 'sim::trace("%s.%s", "store", store.name());'
                                  % (self.ns, op.name)))
        body.lines[0:0] = pre.lines
        op.max_depth = body.depth
        self.stats["depth %d" % op.max_depth] += 1
        return params, body

    def render_body(self, body, indent):
        out = []
        for ind, t in body.lines:
            out.append("  " * (indent + ind) + t if t else "")
        return out

    def generate(self):
        rng = self.rng
        lines = []
        lines.append("// ---- scenario %d: host=%s" % (self.seed, self.host))
        lines.append("namespace %s {" % self.ns)
        lines.append("")
        lines.append('sim::Store g_store{"%s"};' % self.ns)
        lines.append("int g_tally = 0;")
        lines.append("")
        self.count("host: " + self.host)

        n_ops = rng.choices([1, 2, 3], [3, 4, 2])[0]
        ops = []
        for i in range(n_ops):
            done_ty = rng.choices([None, "int", "str", "void"], [2, 12, 3, 2])[0]
            op = Op("op_" + "abc"[i], done_ty,
                    has_store=self.host == "free" and self.chance(0.3),
                    has_tally=self.chance(0.15),
                    const_ref_done=done_ty is not None and self.chance(0.15))
            if op.const_ref_done:
                self.count("done: const std::function& parameter")
            if op.has_tally:
                self.count("int& parameter")
            ops.append(op)

        defs = []
        self.this_var = Var("this", "this", refsafe=True)
        for op in ops:
            params, body = self.gen_op(op)
            self.ops.append(op)
            defs.append((op, params, body))

        decoy_fns = []
        if self.chance(0.35):
            decoy_fns.append(self.decoy_function())

        if self.host == "free":
            for op, params, body in defs:
                lines.append("void %s(%s) {" % (op.name, ", ".join(params)))
                lines += self.render_body(body, 1)
                lines.append("}")
                lines.append("")
        else:
            cls = "Svc" if self.host == "member" else "Conn"
            out_of_class = self.chance(0.5)
            if self.host == "member":
                lines.append("class Svc {")
                lines.append("public:")
                lines.append("  explicit Svc(std::string name) : name_(std::move(name)) {}")
                lines.append("  int total() const { return total_; }")
            else:
                lines.append("class Conn : public std::enable_shared_from_this<Conn> {")
                lines.append("public:")
                lines.append("  explicit Conn(int id) : id_(id), tag_(\"c\" + std::to_string(id)) {}")
                lines.append("  int seen() const { return seen_; }")
                lines.append("  int id_;")
            for op, params, body in defs:
                sig = "void %s(%s)" % (op.name, ", ".join(params))
                if out_of_class:
                    lines.append("  %s;" % sig)
                else:
                    lines.append("  %s {" % sig)
                    lines += self.render_body(body, 2)
                    lines.append("  }")
            lines.append("")
            lines.append("private:")
            if self.host == "member":
                lines.append("  std::string name_;")
                lines.append("  int total_ = 0;")
                lines.append('  sim::Store store_{"svc"};')
            else:
                lines.append("  std::string tag_;")
                lines.append("  int seen_ = 0;")
                lines.append('  sim::Store store_{"conn"};')
            lines.append("};")
            lines.append("")
            if out_of_class:
                self.count("member functions defined out of class")
                for op, params, body in defs:
                    lines.append("void %s::%s(%s) {" % (cls, op.name, ", ".join(params)))
                    lines += self.render_body(body, 1)
                    lines.append("}")
                    lines.append("")
            if self.host == "member":
                lines.append('Svc g_svc{"%s"};' % self.ns)
                lines.append("")

        for name, fn in decoy_fns:
            lines += fn
            lines.append("")

        # run(): start every op (some twice, so chains interleave).
        lines.append("void run() {")
        conn_no = 0
        for op in ops:
            for rep in range(rng.choices([1, 2], [3, 2])[0]):
                key = rng.randint(0, 60)
                args = [str(key)]
                if op.has_store:
                    args.append("g_store")
                if op.has_tally:
                    args.append("g_tally")
                tag = '"%s.%s#%d"' % (self.ns, op.name, rep + 1)
                if op.done_ty == "int":
                    args.append("[](int r) { sim::trace(%s, \"done\", r); }" % tag)
                elif op.done_ty == "str":
                    args.append("[](const std::string& r) { sim::trace(%s, \"done\", r); }" % tag)
                elif op.done_ty == "void":
                    args.append("[] { sim::trace(%s, \"done\"); }" % tag)
                if self.host == "free":
                    lines.append("  %s(%s);" % (op.name, ", ".join(args)))
                elif self.host == "member":
                    lines.append("  g_svc.%s(%s);" % (op.name, ", ".join(args)))
                else:
                    conn_no += 1
                    lines.append("  std::make_shared<Conn>(%d)->%s(%s);"
                                 % (conn_no, op.name, ", ".join(args)))
        for name, _ in decoy_fns:
            lines.append("  %s(%d);" % (name, rng.randint(0, 30)))
        lines.append("}")
        lines.append("")
        lines.append("void report() {")
        lines.append('  sim::trace("%s", "tally", g_tally);' % self.ns)
        if self.host == "member":
            lines.append('  sim::trace("%s", "total", g_svc.total());' % self.ns)
        lines.append("}")
        lines.append("")
        lines.append("} // namespace %s" % self.ns)
        lines.append("")
        self.stats["scenarios"] += 1
        self.stats["ops"] += len(ops)
        return lines


HEADER = """\
// Generated by test/e2e/gen_chains.py (seeds {seeds}). Do not edit: the
// end-to-end harness regenerates it. Each namespace s<seed> is one scenario.
#include <algorithm>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "sim.hpp"
"""


def generate_file(seeds, stats=None):
    """The text of one translation unit holding the given seeds' scenarios."""
    if stats is None:
        stats = collections.Counter()
    seeds = list(seeds)
    out = [HEADER.format(seeds="%d..%d" % (seeds[0], seeds[-1]) if seeds else "none")]
    for s in seeds:
        out.append("\n".join(Scenario(s, stats).generate()))
    main = ["int main() {"]
    for s in seeds:
        main.append('  sim::trace("== s%d");' % s)
        main.append("  s%d::run();" % s)
        main.append('  sim::settle("s%d");' % s)
        main.append("  s%d::report();" % s)
    main.append('  sim::trace("== end");')
    main.append("  return 0;")
    main.append("}")
    out.append("\n".join(main) + "\n")
    return "\n".join(out)


def file_seeds(n_seeds, per_file, first=0):
    """Seeds grouped per translation unit: [[0..19], [20..39], ...]."""
    seeds = list(range(first, first + n_seeds))
    return [seeds[i:i + per_file] for i in range(0, len(seeds), per_file)]


def print_stats(stats, out=sys.stdout):
    depth = {k: v for k, v in stats.items() if k.startswith("depth ")}
    rest = {k: v for k, v in stats.items() if not k.startswith("depth ")}
    total = sum(depth.values()) or 1
    print("ops by depth (completion steps on the longest path):", file=out)
    for k in sorted(depth):
        n = depth[k]
        print("  %-8s %5d  %s" % (k, n, "#" * max(1, round(40 * n / total))), file=out)
    print("constructs:", file=out)
    width = max((len(k) for k in rest), default=10)
    for k in sorted(rest):
        print("  %-*s %6d" % (width, k, rest[k]), file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--first", type=int, default=0, help="first seed")
    ap.add_argument("--count", type=int, default=20, help="seeds in the file (with -o)")
    ap.add_argument("-o", "--output", help="write one file with --count seeds")
    ap.add_argument("--seeds", type=int, default=300, help="seeds in all (with --out-dir)")
    ap.add_argument("--per-file", type=int, default=20)
    ap.add_argument("--out-dir", help="write chains_NNN.cpp files for --seeds seeds")
    ap.add_argument("--stats", action="store_true", help="print a histogram of constructs")
    args = ap.parse_args(argv)
    stats = collections.Counter()
    if args.out_dir:
        os.makedirs(args.out_dir, exist_ok=True)
        for i, group in enumerate(file_seeds(args.seeds, args.per_file, args.first)):
            path = os.path.join(args.out_dir, "chains_%03d.cpp" % i)
            with open(path, "w") as f:
                f.write(generate_file(group, stats))
    elif args.output:
        text = generate_file(range(args.first, args.first + args.count), stats)
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(generate_file(range(args.first, args.first + args.count), stats))
    if args.stats:
        print_stats(stats, sys.stderr if not (args.out_dir or args.output) else sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
