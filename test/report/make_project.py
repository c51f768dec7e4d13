#!/usr/bin/env python3
"""Lays out the project that the report tests analyse, in three folders,
and writes its compile_commands.json:

    make_project.py OUT TEST_DIR RUNTIME_INCLUDE

  shop/       test/ci's project, with the header that two translation units
              see differently (orders-flagged.h, restock.cpp built with
              -DAUDIT_FLAG): its chain is found but not converted
  db/         Inputs/db: chains at each confidence, and escape.cpp, whose
              text is markup that the report must escape
  db/legacy/  Inputs/db/legacy: places left alone for several reasons

The rules are the .awaitify.yaml of each folder: test/ci's in shop/,
test/lit/Inputs/apis.yaml (db.h's APIs) in db/, and in db/legacy the same
with Inputs/rules.yaml's after them.
"""
import json
import os
import shutil
import sys

FILES = {
    "shop/order.cpp": [],
    "shop/restock.cpp": ["-DAUDIT_FLAG"],
    "shop/main.cpp": [],
    "db/orders.cpp": [],
    "db/escape.cpp": [],
    "db/legacy/locks.cpp": [],
    "db/legacy/reasons.cpp": [],
}


def main():
    out, tests, runtime = sys.argv[1:4]
    out = os.path.abspath(out)
    project = os.path.join(tests, "ci", "Inputs", "project")
    shutil.copytree(os.path.join(tests, "report", "Inputs", "db"),
                    os.path.join(out, "db"))
    os.makedirs(os.path.join(out, "shop"))
    for f in [os.path.join(project, "src", name)
              for name in ("order.cpp", "restock.cpp", "main.cpp")] + \
            [os.path.join(project, ".awaitify.yaml"),
             os.path.join(tests, "tidy", "Inputs", "shop.h")]:
        shutil.copy(f, os.path.join(out, "shop"))
    shutil.copy(os.path.join(tests, "ci", "Inputs", "orders-flagged.h"),
                os.path.join(out, "shop", "orders.h"))
    # The rules of db.h, and for db/legacy (the nearest .awaitify.yaml is
    # the one read) the same, then Inputs/rules.yaml's, which win.
    with open(os.path.join(tests, "lit", "Inputs", "apis.yaml")) as f:
        apis = f.read()
    with open(os.path.join(tests, "report", "Inputs", "rules.yaml")) as f:
        extra = f.read().split("apis:\n", 1)[1]
    with open(os.path.join(out, "db", ".awaitify.yaml"), "w") as f:
        f.write(apis)
    with open(os.path.join(out, "db", "legacy", ".awaitify.yaml"), "w") as f:
        f.write(apis.rstrip("\n") + "\n" + extra)
    flags = ["-std=c++20", "-I" + os.path.join(tests, "lit", "Inputs"),
             "-I" + runtime]
    entries = [{
        "directory": out,
        "file": os.path.join(out, source),
        "arguments": ["clang++"] + flags + extra + ["-c", source, "-o",
                                                    source + ".o"],
    } for source, extra in FILES.items()]
    os.makedirs(os.path.join(out, "build"), exist_ok=True)
    with open(os.path.join(out, "build", "compile_commands.json"), "w") as f:
        json.dump(entries, f, indent=2)


if __name__ == "__main__":
    main()
