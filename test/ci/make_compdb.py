#!/usr/bin/env python3
"""Write a compile_commands.json, as CMake would, for a test project.

    make_compdb.py [--generate N] [--shuffle SEED] OUT_DIR PROJECT_DIR
                   SOURCE... -- FLAG...

Each SOURCE (relative to PROJECT_DIR) gets the command
`clang++ FLAG... -c SOURCE -o SOURCE.o`, run in PROJECT_DIR.

--generate N first writes N more sources into PROJECT_DIR/src/gen/
(tu000.cpp, ...) and lists them too: a project of many translation units
for the sharding tests. PROJECT_DIR must hold test/ci/Inputs/project's
src/orders.h and shop.h. Each generated source defines one function whose
body is a callback chain of two or three steps (shop.h's APIs) and includes
src/gen/gen.h, which declares all of them and includes orders.h: every
translation unit sees orders.h's audit() chain, and rewrites it -- and adds
the runtime #include to orders.h -- the same way, edits that several
translation units make to a shared header.

--shuffle SEED writes the entries in a random order (the same for a SEED).
"""
import argparse
import json
import os
import random
import sys

SOURCE = """\
#include "gen.h"

void gen{i}(std::string Item) {{
  shop::fetchPrice(Item, [Item](int Price) {{
{body}
  }});
}}
"""
TWO_STEPS = """\
    shop::charge(Price + {i}, [Item](std::string Receipt) {{
      std::printf("gen{i} %s: %s\\n", Item.c_str(), Receipt.c_str());
    }});"""
THREE_STEPS = """\
    shop::reserve(Item, {i} % 4, [Item, Price](bool Ok) {{
      if (!Ok)
        return;
      shop::charge(Price, [Item](std::string Receipt) {{
        std::printf("gen{i} %s: %s\\n", Item.c_str(), Receipt.c_str());
      }});
    }});"""


def generate(project, count):
    gen_dir = os.path.join(project, "src", "gen")
    os.makedirs(gen_dir, exist_ok=True)
    decls = "".join("void gen%d(std::string Item);\n" % i for i in range(count))
    with open(os.path.join(gen_dir, "gen.h"), "w") as f:
        f.write("// Declares every generated function.\n"
                "#ifndef GEN_H\n#define GEN_H\n\n"
                '#include "../orders.h"\n\n%s\n#endif\n' % decls)
    sources = []
    for i in range(count):
        body = (THREE_STEPS if i % 3 == 0 else TWO_STEPS).format(i=i)
        name = os.path.join("src", "gen", "tu%03d.cpp" % i)
        with open(os.path.join(project, name), "w") as f:
            f.write(SOURCE.format(i=i, body=body))
        sources.append(name)
    return sources


def main():
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    flags = argv[split + 1:]
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("--generate", type=int, default=0, metavar="N")
    parser.add_argument("--shuffle", type=int, metavar="SEED")
    parser.add_argument("out_dir")
    parser.add_argument("project")
    parser.add_argument("sources", nargs="*")
    args = parser.parse_args(argv[:split])
    project = os.path.abspath(args.project)
    sources = list(args.sources)
    if args.generate:
        sources += generate(project, args.generate)
    entries = [{
        "directory": project,
        "file": os.path.join(project, source),
        "arguments": ["clang++"] + flags + ["-c", source, "-o", source + ".o"],
    } for source in sources]
    if args.shuffle is not None:
        random.Random(args.shuffle).shuffle(entries)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "compile_commands.json"), "w") as f:
        json.dump(entries, f, indent=2)


if __name__ == "__main__":
    main()
