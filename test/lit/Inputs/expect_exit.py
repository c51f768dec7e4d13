#!/usr/bin/env python3
"""expect_exit.py N command [args...]

Runs the command with this process's stdin, stdout and stderr, and succeeds
only if it exits with status N. `not` only tells zero from non-zero; the
awaitify CLI has three statuses (0 nothing to do, 1 findings, 2 errors), and
the tests need to tell them apart."""
import subprocess
import sys

if len(sys.argv) < 3:
    sys.exit("usage: expect_exit.py N command [args...]")
want = int(sys.argv[1])
got = subprocess.call(sys.argv[2:])
if got != want:
    sys.stderr.write("expect_exit.py: %s exited with %d, expected %d\n"
                     % (sys.argv[2], got, want))
    sys.exit(1)
