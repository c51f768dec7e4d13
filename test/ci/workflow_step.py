#!/usr/bin/env python3
"""Print the shell script of one step of a CI configuration, to run it.

    workflow_step.py FILE github STEP_ID    the `run:` of the GitHub Actions
                                            step with `id: STEP_ID`
    workflow_step.py FILE gitlab JOB        the `script:` lines of a GitLab job

Reads only the simple YAML that docs/ci.md shows (block scalars and lists),
without a YAML library.
"""
import re
import sys


def indent(line):
    return len(line) - len(line.lstrip(" "))


def github(lines, step_id):
    for i, line in enumerate(lines):
        if re.match(r"\s*(- )?id: %s\s*$" % re.escape(step_id), line):
            step_indent = indent(line)
            for j in range(i + 1, len(lines)):
                m = re.match(r"(\s*)run: \|\s*$", lines[j])
                if m and indent(lines[j]) == step_indent:
                    body = []
                    for k in range(j + 1, len(lines)):
                        if lines[k].strip() and indent(lines[k]) <= step_indent:
                            break
                        body.append(lines[k])
                    cut = min(indent(l) for l in body if l.strip())
                    return "\n".join(l[cut:] for l in body).strip() + "\n"
    sys.exit("workflow_step: no step with id %r and a `run: |`" % step_id)


def gitlab(lines, job):
    for i, line in enumerate(lines):
        if line.rstrip() == job + ":":
            for j in range(i + 1, len(lines)):
                if lines[j].strip() == "script:":
                    out = []
                    for k in range(j + 1, len(lines)):
                        m = re.match(r"\s*- (.*)$", lines[k])
                        if not m:
                            break
                        out.append(m.group(1))
                    return "\n".join(out) + "\n"
    sys.exit("workflow_step: no job %r with a script" % job)


def main():
    path, kind, name = sys.argv[1:4]
    lines = open(path).read().splitlines()
    sys.stdout.write(github(lines, name) if kind == "github"
                     else gitlab(lines, name))


if __name__ == "__main__":
    main()
