#!/usr/bin/env python3
"""Print the shell script of one step of a CI configuration, to run it, or a
value of the configuration, to check it. The configuration is parsed as
YAML (python3-yaml), as the CI system parses it: a test fails on YAML that
the system would refuse.

    workflow_step.py FILE github STEP_ID [--expr NAME=VALUE]...
        the `run:` of the GitHub Actions step with `id: STEP_ID` (in any
        job), each `${{ NAME }}` replaced by VALUE; fails if an expression
        is left that no --expr gives
    workflow_step.py FILE gitlab JOB
        the `script:` lines of a GitLab job, one a line
    workflow_step.py FILE k8s JOB [--set NAME=VALUE]... [--sub OLD NEW]...
        for the Kubernetes Job named JOB (FILE may hold several documents):
        `export NAME=VALUE` for the `env` of its (first) container, VALUE
        from --set when given, then the script that its `command`/`args`
        run (`[bash, -ec]` and the script)
    workflow_step.py FILE get PATH [--expect JSON]
        the value at PATH (keys and list indexes joined by `.`; a document
        index first when FILE holds several documents), as JSON; with
        --expect, fails unless it is that value

--sub replaces OLD by NEW in what is printed (a mount path by a folder of
the test), and fails if it is not there.
"""
import argparse
import json
import re
import shlex
import sys

import yaml


def fail(message):
    sys.exit("workflow_step: " + message)


def github(docs, step_id, exprs):
    for job_name, job in docs[0]["jobs"].items():
        for step in job.get("steps", []):
            if step.get("id") != step_id:
                continue
            if "run" not in step:
                fail("step %r of job %r has no run:" % (step_id, job_name))
            script = step["run"]

            def expand(match):
                name = match.group(1)
                if name not in exprs:
                    fail("no value for ${{ %s }} (pass --expr %s=...)"
                         % (name, name))
                return exprs[name]
            return re.sub(r"\$\{\{\s*([^}]*?)\s*\}\}", expand, script)
    fail("no step with id %r" % step_id)


def gitlab(docs, job):
    if job not in docs[0] or "script" not in docs[0][job]:
        fail("no job %r with a script" % job)
    return "\n".join(docs[0][job]["script"]) + "\n"


def k8s(docs, name, settings):
    for doc in docs:
        if doc and doc.get("kind") == "Job" and \
                doc["metadata"]["name"] == name:
            container = doc["spec"]["template"]["spec"]["containers"][0]
            command = container.get("command", []) + container.get("args", [])
            if command[:2] != ["bash", "-ec"] or len(command) != 3:
                fail("job %r does not run [bash, -ec, SCRIPT]" % name)
            lines = []
            for var in container.get("env", []):
                value = settings.get(var["name"], var.get("value", ""))
                lines.append("export %s=%s" % (var["name"], shlex.quote(value)))
            return "\n".join(lines + [command[2]])
    fail("no Job named %r" % name)


def get(docs, path):
    value = docs if len(docs) > 1 else docs[0]
    for part in path.split(".") if path else []:
        value = value[int(part)] if isinstance(value, list) else value[part]
    return json.dumps(value, sort_keys=True) + "\n"


def main():
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("file")
    parser.add_argument("kind", choices=["github", "gitlab", "k8s", "get"])
    parser.add_argument("name")
    parser.add_argument("--expr", action="append", default=[])
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--sub", nargs=2, action="append", default=[])
    parser.add_argument("--expect")
    opts = parser.parse_args()
    with open(opts.file) as f:
        docs = list(yaml.safe_load_all(f))
    if opts.kind == "github":
        out = github(docs, opts.name, dict(e.split("=", 1) for e in opts.expr))
    elif opts.kind == "gitlab":
        out = gitlab(docs, opts.name)
    elif opts.kind == "k8s":
        out = k8s(docs, opts.name, dict(s.split("=", 1) for s in opts.set))
    else:
        out = get(docs, opts.name)
        if opts.expect is not None and \
                json.loads(out) != json.loads(opts.expect):
            fail("%s is %s, not %s" % (opts.name, out.strip(), opts.expect))
    for old, new in opts.sub:
        if old not in out:
            fail("%r is not in what is printed" % old)
        out = out.replace(old, new)
    sys.stdout.write(out)


if __name__ == "__main__":
    main()
