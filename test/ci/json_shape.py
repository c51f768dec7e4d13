#!/usr/bin/env python3
"""Compare the shape of two JSON documents: the same keys, recursively, with
values of the same JSON type (the first element stands for an array).

    json_shape.py EXPECTED ACTUAL

Prints the differences and fails if there are any. Used to hold docs/ci.md's
JSON example to what `--format=json` prints.
"""
import json
import sys


def kind(v):
    return "number" if isinstance(v, (int, float)) and not isinstance(v, bool) \
        else type(v).__name__


def compare(a, b, path, out):
    if kind(a) != kind(b):
        out.append("%s: %s in the example, %s in the output" % (path, kind(a), kind(b)))
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in b:
                out.append("%s.%s: only in the example" % (path, k))
            elif k not in a:
                out.append("%s.%s: only in the output" % (path, k))
            else:
                compare(a[k], b[k], path + "." + k, out)
    elif isinstance(a, list) and a and b:
        compare(a[0], b[0], path + "[0]", out)


def main():
    with open(sys.argv[1]) as f:
        expected = json.load(f)
    with open(sys.argv[2]) as f:
        actual = json.load(f)
    out = []
    compare(expected, actual, "$", out)
    for line in out:
        print(line)
    if out:
        sys.exit(1)
    print("same shape")


if __name__ == "__main__":
    main()
