#!/usr/bin/env python3
"""Holds the numbers of an awaitify report to the JSON of `awaitify check
--format=json` on the same code.

    report_numbers.py CHECK.json REPORT_DIR

Reads REPORT_DIR/index.html as a browser would get it (no script run: the
counts are plain HTML) and compares, computing each expected number from
CHECK.json here, independently of the tool:

  - the summary line: files, chains, converted (rewritable), not converted,
    left alone, errors -- also against CHECK.json's own summary;
  - the table by folder: one row per folder of a finding's file, with its
    chains found, converted, not converted, left alone, and the chains by
    confidence; then the row of all folders;
  - the table of reasons: each reason (its first clause, quoted names other
    than a confidence shown as '…', numbers as N; docs/report.md) with its
    status, count and folders;
  - the findings table: one row per chain and per place left alone, with its
    status, place and function.

Prints the differences and exits 1 when there are any.
"""
import json
import os
import re
import sys
from collections import Counter, defaultdict
from html.parser import HTMLParser

COUNTS = ["chains", "converted", "notConverted", "leftAlone", "safe",
          "reasonable", "risky"]


class Page(HTMLParser):
    """The report's tables, as text."""

    def __init__(self):
        super().__init__()
        self.summary = {}
        self.folders = {}
        self.reasons = []
        self.findings = []
        self.table = None
        self.row = None
        self.cell = None
        self.span = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.table = a.get("id")
        elif tag == "tr":
            self.row = {"attrs": a, "cells": []}
        elif tag in ("td", "th") and self.row is not None:
            self.cell = {"attrs": a, "text": ""}
        elif tag == "span" and a.get("data-count") and self.table is None:
            self.span = a["data-count"]
            self.summary[self.span] = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data
        if self.span:
            self.summary[self.span] += data

    def handle_endtag(self, tag):
        if tag == "span":
            self.span = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row["cells"].append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.end_row(self.row)
            self.row = None
        elif tag == "table":
            self.table = None

    def end_row(self, row):
        cells = row["cells"]
        if self.table == "folder-counts" and "data-folder" in row["attrs"]:
            self.folders[row["attrs"]["data-folder"]] = {
                c["attrs"]["data-count"]: int(c["text"])
                for c in cells if "data-count" in c["attrs"]}
        elif self.table == "reason-counts" and len(cells) == 4 and \
                cells[0]["attrs"].get("class") == "reason":
            self.reasons.append((cells[0]["text"], cells[1]["text"],
                                 int(cells[2]["text"]), cells[3]["text"]))
        elif self.table == "findings-table" and \
                "finding" in row["attrs"].get("class", ""):
            self.findings.append((cells[0]["text"], cells[1]["text"],
                                  cells[2]["text"]))


def reason_kind(reason):
    clause = re.split(r": |; | \(", reason, maxsplit=1)[0]
    clause = re.sub(r"'([^']*)'", lambda m: "'%s'" % (
        m.group(1) if m.group(1) in ("safe", "reasonable", "risky")
        else "\u2026"), clause)
    return re.sub(r"[0-9]+", "N", clause)


def expected(doc):
    folders = defaultdict(Counter)
    reasons = defaultdict(Counter)
    findings = []

    def folder(path):
        return os.path.dirname(path) or "."
    for c in doc["chains"]:
        f = folders[folder(c["file"])]
        f["chains"] += 1
        f["converted" if c["rewritable"] else "notConverted"] += 1
        f[c["confidence"]] += 1
        status = "converted" if c["rewritable"] else "not converted"
        if not c["rewritable"]:
            reasons[(reason_kind(c["dropped"]), status)][folder(c["file"])] += 1
        findings.append((status, "%s:%d:%d" % (c["file"], c["line"],
                                               c["column"]), c["function"]))
    for s in doc["leftAlone"]:
        folders[folder(s["file"])]["leftAlone"] += 1
        reasons[(reason_kind(s["reason"]), "left alone")][folder(s["file"])] += 1
        findings.append(("left alone", "%s:%d:%d" % (s["file"], s["line"],
                                                     s["column"]),
                         s["function"]))
    table = {name: {k: counts[k] for k in COUNTS}
             for name, counts in folders.items()}
    table[""] = {k: sum(t[k] for t in table.values()) for k in COUNTS}
    reason_rows = sorted(
        (kind, status, sum(by_folder.values()), ", ".join(
            "%s (%d)" % (f, n) for f, n in sorted(by_folder.items())))
        for (kind, status), by_folder in reasons.items())
    return table, reason_rows, sorted(findings)


def main():
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    page = Page()
    with open(os.path.join(sys.argv[2], "index.html"), encoding="utf-8") as f:
        page.feed(f.read())
    problems = []
    table, reasons, findings = expected(doc)
    s = doc["summary"]
    if s["chains"] != len(doc["chains"]) or \
            s["leftAlone"] != len(doc["leftAlone"]) or \
            s["rewritable"] != sum(c["rewritable"] for c in doc["chains"]):
        problems.append("the JSON's summary does not count its own lists")
    want = {"files": s["files"], "chains": s["chains"],
            "converted": s["rewritable"],
            "notConverted": s["chains"] - s["rewritable"],
            "leftAlone": s["leftAlone"], "errors": s["errors"]}
    got = {k: int(v) for k, v in page.summary.items()}
    if got != want:
        problems.append("summary: report %s, JSON %s" % (got, want))
    for name in sorted(set(table) | set(page.folders)):
        if table.get(name) != page.folders.get(name):
            problems.append("folder %r: report %s, JSON %s" % (
                name or "(all)", page.folders.get(name), table.get(name)))
    if sorted(page.reasons) != reasons:
        problems.append("reasons: report %s, JSON %s" % (
            sorted(page.reasons), reasons))
    if sorted(page.findings) != findings:
        problems.append("findings: only in the report %s; only in the JSON %s"
                        % (sorted(set(page.findings) - set(findings)),
                           sorted(set(findings) - set(page.findings))))
    for p in problems:
        print(p)
    if problems:
        return 1
    print("same numbers: %d folders, %d findings, %d reasons" % (
        len(table) - 1, len(findings), len(reasons)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
