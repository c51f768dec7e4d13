#!/usr/bin/env python3
"""Helpers of the sharding tests (docs/ci.md, "Sharding"); lit's shell has
no loops.

    shards.py lists AWAITIFY N DB_DIR [-- ARG...]
        runs `awaitify check -p DB_DIR ARG... --list-shard=K/N` for K = 1..N
        and prints `K PATH` for each file listed, sorted by path. Fails
        unless every file of DB_DIR/compile_commands.json is listed exactly
        once.
    shards.py hash SNIPPET N LISTS
        checks the `K PATH` lines of LISTS against shard_of(PATH, N) of
        SNIPPET, the Python of docs/ci.md: prints `same split` or fails.
    shards.py run AWAITIFY N OUT_DIR [--parallel P] -- ARG...
        runs `awaitify check ARG... --shard=K/N --format=json
        --export-fixes=OUT_DIR/shard-K.yaml > OUT_DIR/shard-K.json` for
        K = 1..N, P processes at a time (default 1), each its own process
        as on its own machine; prints each shard's files, chains, exit
        status and seconds. Fails if a shard exits with 2.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def lists(opts, args):
    with open(os.path.join(opts.db_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    expected = len({os.path.normpath(os.path.join(e["directory"], e["file"]))
                    for e in entries})
    seen = {}
    for k in range(1, opts.n + 1):
        out = subprocess.run(
            [opts.awaitify, "check", "-p", opts.db_dir] + args +
            ["--list-shard=%d/%d" % (k, opts.n)],
            check=True, capture_output=True, text=True).stdout
        for path in out.splitlines():
            if path in seen:
                sys.exit("shards: %s is in shards %d and %d"
                         % (path, seen[path], k))
            seen[path] = k
    if len(seen) != expected:
        sys.exit("shards: %d files listed, the database has %d"
                 % (len(seen), expected))
    for path in sorted(seen):
        print(seen[path], path)


def check_hash(opts):
    scope = {}
    with open(opts.snippet) as f:
        exec(f.read(), scope)
    with open(opts.lists) as f:
        rows = [line.split(" ", 1) for line in f.read().splitlines()]
    for k, path in rows:
        if scope["shard_of"](path, opts.n) != int(k):
            sys.exit("shards: %s is in shard %s, docs/ci.md says %d"
                     % (path, k, scope["shard_of"](path, opts.n)))
    print("same split: %d files" % len(rows))


def run(opts, args):
    os.makedirs(opts.out_dir, exist_ok=True)

    def shard(k):
        out = os.path.join(opts.out_dir, "shard-%d" % k)
        started = time.monotonic()
        with open(out + ".json", "w") as f:
            status = subprocess.run(
                [opts.awaitify, "check"] + args +
                ["--shard=%d/%d" % (k, opts.n), "--format=json",
                 "--export-fixes=" + out + ".yaml"],
                stdout=f, stderr=subprocess.DEVNULL).returncode
        return k, status, time.monotonic() - started

    with ThreadPoolExecutor(opts.parallel) as pool:
        results = list(pool.map(shard, range(1, opts.n + 1)))
    failed = False
    for k, status, seconds in results:
        with open(os.path.join(opts.out_dir, "shard-%d.json" % k)) as f:
            summary = json.load(f)["summary"]
        print("shard %d/%d: %d files, %d chains, exit %d, %.1f s"
              % (k, opts.n, summary["files"], summary["chains"], status,
                 seconds))
        failed |= status == 2
    if failed:
        sys.exit("shards: a shard failed")


def main():
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = argv[split + 1:]
    parser = argparse.ArgumentParser(usage=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("lists")
    p.add_argument("awaitify")
    p.add_argument("n", type=int)
    p.add_argument("db_dir")
    p = sub.add_parser("hash")
    p.add_argument("snippet")
    p.add_argument("n", type=int)
    p.add_argument("lists")
    p = sub.add_parser("run")
    p.add_argument("awaitify")
    p.add_argument("n", type=int)
    p.add_argument("out_dir")
    p.add_argument("--parallel", type=int, default=1)
    opts = parser.parse_args(argv[:split])
    if opts.cmd == "lists":
        lists(opts, args)
    elif opts.cmd == "hash":
        check_hash(opts)
    else:
        run(opts, args)


if __name__ == "__main__":
    main()
