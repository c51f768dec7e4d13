#!/usr/bin/env python3
"""Print one example of a document in docs/, so that tests run what the
documents show.

    doc_snippet.py DOC NAME [--sub OLD NEW]...

An example is the fenced code block that follows the line
`<!-- example: NAME -->` in DOC. --sub replaces OLD by NEW in it (an install
path by the build's, say). Fails if DOC has no example NAME, or two.
"""
import argparse
import re
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("doc")
    parser.add_argument("name")
    parser.add_argument("--sub", nargs=2, action="append", default=[],
                        metavar=("OLD", "NEW"))
    opts = parser.parse_args()
    text = open(opts.doc, encoding="utf-8").read()
    pattern = re.compile(
        r"^<!-- example: %s -->\n(?P<fence>```+|~~~+)[^\n]*\n(?P<body>.*?)^(?P=fence)\s*$"
        % re.escape(opts.name), re.M | re.S)
    found = pattern.findall(text)
    if len(found) != 1:
        sys.exit("doc_snippet: %s has %d examples named %r (want 1)"
                 % (opts.doc, len(found), opts.name))
    body = found[0][1]
    for old, new in opts.sub:
        if old not in body:
            sys.exit("doc_snippet: example %r does not contain %r"
                     % (opts.name, old))
        body = body.replace(old, new)
    sys.stdout.write(body)


if __name__ == "__main__":
    main()
