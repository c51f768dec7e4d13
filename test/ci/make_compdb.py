#!/usr/bin/env python3
"""Write a compile_commands.json, as CMake would, for a test project.

    make_compdb.py OUT_DIR PROJECT_DIR SOURCE... -- FLAG...

Each SOURCE (relative to PROJECT_DIR) gets the command
`clang++ FLAG... -c SOURCE -o SOURCE.o`, run in PROJECT_DIR.
"""
import json
import os
import sys


def main():
    args = sys.argv[1:]
    split = args.index("--") if "--" in args else len(args)
    out_dir, project, *sources = args[:split]
    flags = args[split + 1:]
    project = os.path.abspath(project)
    entries = [{
        "directory": project,
        "file": os.path.join(project, source),
        "arguments": ["clang++"] + flags + ["-c", source, "-o", source + ".o"],
    } for source in sources]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "compile_commands.json"), "w") as f:
        json.dump(entries, f, indent=2)


if __name__ == "__main__":
    main()
