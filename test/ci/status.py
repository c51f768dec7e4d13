#!/usr/bin/env python3
"""Run a command and print `exit N` (N its exit status); always succeed.

    status.py CMD [ARG...]

lit's shell has no `$?`: tests that check an exact exit status print it
with this and FileCheck it. The command's output goes where this script's
goes.
"""
import subprocess
import sys

print("exit %d" % subprocess.run(sys.argv[1:]).returncode, flush=True)
