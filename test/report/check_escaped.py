#!/usr/bin/env python3
"""Checks that a report's index.html holds the text of escape.cpp only
escaped: its JSON block has no '<' at all (so no "</script>" ends it), still
holds that text once decoded, and no markup of the source is in the page.

    check_escaped.py REPORT_DIR
"""
import json
import os
import re
import sys


def main():
    with open(os.path.join(sys.argv[1], "index.html"), encoding="utf-8") as f:
        page = f.read()
    block = re.search(r'<script type="application/json" id="report-data">'
                      r'(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    texts = [h["before"] for c in data["chains"].values() for h in c["hunks"]]
    problems = []
    if "<" in block:
        problems.append("a '<' in the JSON block")
    if not any('</script><b id=\\"injected\\">' in t for t in texts):
        problems.append("escape.cpp's text is not in the JSON block")
    if "<b id" in page or "<script>document" in page:
        problems.append("escape.cpp's markup is in the page")
    print("; ".join(problems) or "escaped")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
