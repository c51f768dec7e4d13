#!/usr/bin/env python3
"""The sharding scale test (docs/ci.md, "How long a sharded run takes"),
simulated on one machine: a generated project of many translation units
that share headers, one run over all of it, and N shards as separate
processes, P at a time. Checks that

  * the shards' --list-shard lists hold every file exactly once;
  * `awaitify merge` of the shards' JSON reports is, byte for byte, the
    JSON report of the one run, and the merge of their fixes files its
    fixes file;
  * clang-apply-replacements on the shards' fixes files writes what the one
    run (`fix`) wrote;

then prints the time of each shard and of the merge, and projects the wall
time of a run over 100,000 translation units on N = 100 and N = 1000
machines like this one. Exits 1 when a check fails.

    shard_scale.py --awaitify BIN --runtime-include DIR
                   --clang-apply-replacements BIN --work DIR
                   [--tus 240] [--shards 8] [--parallel 2] [--jobs 1]
"""
import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import shards  # noqa: E402  (run the shards as test/ci/shards.py does)


def project(path, tus, runtime_include, shuffle):
    shutil.copytree(os.path.join(HERE, "Inputs", "project"), path)
    shutil.copy(os.path.join(ROOT, "test", "tidy", "Inputs", "shop.h"),
                os.path.join(path, "src"))
    subprocess.run([sys.executable, os.path.join(HERE, "make_compdb.py"),
                    "--generate", str(tus - 2), "--shuffle", str(shuffle),
                    os.path.join(path, "build"), path, "src/order.cpp",
                    "src/restock.cpp", "--", "-std=c++20",
                    "-I" + runtime_include], check=True)


def timed(args, cwd, stdout=subprocess.DEVNULL):
    started = time.monotonic()
    status = subprocess.run(args, cwd=cwd, stdout=stdout,
                            stderr=subprocess.DEVNULL).returncode
    return status, time.monotonic() - started


def list_overhead(opts):
    """Seconds for a shard to read a database of 100,000 entries and pick
    its files (--list-shard; the files need not exist)."""
    big = os.path.join(opts.work, "big")
    os.makedirs(os.path.join(big, "build"))
    with open(os.path.join(big, "build", "compile_commands.json"), "w") as f:
        json.dump([{"directory": big,
                    "file": os.path.join(big, "src", "d%d" % (i // 100),
                                         "f%d.cpp" % i),
                    "arguments": ["clang++", "-std=c++20", "-c",
                                  "src/d%d/f%d.cpp" % (i // 100, i)]}
                   for i in range(100000)], f)
    _, seconds = timed([opts.awaitify, "check", "-p", "build",
                        "--list-shard=1/100"], big)
    return seconds


def main():
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("--awaitify", required=True)
    parser.add_argument("--runtime-include", required=True)
    parser.add_argument("--clang-apply-replacements", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--tus", type=int, default=240)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=1)
    opts = parser.parse_args()
    shutil.rmtree(opts.work, ignore_errors=True)
    os.makedirs(opts.work)
    one = os.path.join(opts.work, "one")
    sharded = os.path.join(opts.work, "sharded")
    project(one, opts.tus, opts.runtime_include, 1)
    project(sharded, opts.tus, opts.runtime_include, 2)
    failures = []

    with open(os.path.join(one, "one.json"), "w") as out:
        status, one_seconds = timed(
            [opts.awaitify, "fix", "-p", "build", "-j", str(opts.parallel),
             "--shard=1/1", "--format=json", "--export-fixes=one.yaml"],
            one, out)
    print("one run: %d translation units, -j %d, exit %d, %.1f s"
          % (opts.tus, opts.parallel, status, one_seconds))

    listed = subprocess.run(
        [sys.executable, os.path.join(HERE, "shards.py"), "lists",
         opts.awaitify, str(opts.shards), os.path.join(sharded, "build")],
        capture_output=True, text=True)
    if listed.returncode or len(listed.stdout.splitlines()) != opts.tus:
        failures.append("the shards do not hold every file once: "
                        + listed.stderr.strip())

    out_dir = os.path.join(sharded, "out")
    started = time.monotonic()
    os.chdir(sharded)
    shards.run(argparse.Namespace(awaitify=opts.awaitify, n=opts.shards,
                                  out_dir=out_dir, parallel=opts.parallel),
               ["-p", "build", "-j", str(opts.jobs)])
    shards_seconds = time.monotonic() - started
    print("%d shards, %d at a time (-j %d each): %.1f s"
          % (opts.shards, opts.parallel, opts.jobs, shards_seconds))

    inputs = [os.path.join(out_dir, "shard-%d.json" % k)
              for k in range(1, opts.shards + 1)]
    _, merge_seconds = timed([opts.awaitify, "merge", "-p", "build", "-o",
                              "merged.json"] + inputs, sharded)
    timed([opts.awaitify, "merge", "-p", "build", "-o", "merged.yaml"] +
          [i[:-len("json")] + "yaml" for i in inputs], sharded)
    print("merge of %d JSON reports: %.2f s" % (opts.shards, merge_seconds))
    for mine, theirs in (("merged.json", "one.json"),
                         ("merged.yaml", "one.yaml")):
        if not filecmp.cmp(os.path.join(sharded, mine),
                           os.path.join(one, theirs), shallow=False):
            failures.append("%s differs from the one run's %s"
                            % (mine, theirs))
    subprocess.run([opts.clang_apply_replacements, out_dir], cwd=sharded,
                   check=True)
    diff = subprocess.run(["diff", "-r", os.path.join(one, "src"),
                           os.path.join(sharded, "src")],
                          capture_output=True, text=True)
    if diff.returncode:
        failures.append("the shards' fixes applied differ from fix:\n"
                        + diff.stdout[:2000])

    with open(os.path.join(sharded, "merged.json")) as f:
        summary = json.load(f)["summary"]
    print("merged: %s" % summary)
    merge_seconds = merge_10k(opts, os.path.join(sharded, "merged.json"))
    print("merge of 10,000 translation units' reports from 100 shards: "
          "%.1f s" % merge_seconds)
    project_100k(opts, shards_seconds, merge_seconds, list_overhead(opts))
    for failure in failures:
        print("FAIL: " + failure)
    sys.exit(1 if failures else 0)


def merge_10k(opts, merged):
    """Seconds to merge the reports of 10,000 translation units from 100
    shards: copies of the merged report, each under other paths."""
    with open(merged) as f:
        text = f.read()
    folder = os.path.join(opts.work, "merge-10k")
    os.makedirs(folder)
    copies = -(-10000 // opts.tus)
    per_input = -(-copies // 100)
    inputs = []
    for i in range(0, copies, per_input):
        doc = None
        for c in range(i, min(i + per_input, copies)):
            copy = json.loads(text.replace('"../src/', '"../copy%d/src/' % c))
            if doc is None:
                doc = copy
                continue
            for key in ("chains", "leftAlone", "errors"):
                doc[key] += copy[key]
            doc["summary"]["files"] += copy["summary"]["files"]
        inputs.append(os.path.join(folder, "shard-%d.json" % len(inputs)))
        with open(inputs[-1], "w") as f:
            json.dump(doc, f)
    _, seconds = timed([opts.awaitify, "merge", "-o", "merged.json"] + inputs,
                       folder)
    return seconds * 10000 / (copies * opts.tus)


def largest_shard(n):
    """The files in the largest of \p n shards of the 100,000 paths of
    list_overhead's database, by docs/ci.md's shard_of."""
    snippet = subprocess.run(
        [sys.executable, os.path.join(HERE, "doc_snippet.py"),
         os.path.join(ROOT, "docs", "ci.md"), "shard-hash"],
        check=True, capture_output=True, text=True).stdout
    scope = {}
    exec(snippet, scope)
    sizes = [0] * (n + 1)
    for i in range(100000):
        sizes[scope["shard_of"]("../src/d%d/f%d.cpp" % (i // 100, i), n)] += 1
    return max(sizes)


def project_100k(opts, shards_seconds, merge_seconds, overhead):
    """Wall time of 100,000 translation units on N machines like this one
    (its cores all busy with one shard): the largest shard's, which grows
    with its share of the files, on top of reading the whole database."""
    per_tu = shards_seconds * opts.parallel / opts.tus  # one core's seconds
    cores = opts.parallel
    print("per translation unit: %.2f s of one core; reading a database of "
          "100,000 entries: %.1f s" % (per_tu, overhead))
    for n in (100, 1000):
        largest = largest_shard(n)
        shard = overhead + largest * per_tu / cores
        merge = merge_seconds * 10
        print("100,000 translation units, N = %d: %d a shard, the largest "
              "%d, %.0f s; merge %.0f s: about %.0f s (%.1f min)"
              % (n, 100000 // n, largest, shard, merge, shard + merge,
                 (shard + merge) / 60))


if __name__ == "__main__":
    main()
