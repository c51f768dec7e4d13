#!/usr/bin/env python3
"""Validate a SARIF log with Microsoft's SARIF validator.

    validate_sarif.py SARIF_MULTITOOL LOG

`sarif-multitool validate` exits 0 even when the log has errors, so this
counts the lines that report one (`... error SARIF1010: ...`, or a JSON
schema error) and fails unless there are none -- and unless the validator
says it analysed the file. Its whole output is printed.
"""
import re
import subprocess
import sys


def main():
    tool, log = sys.argv[1:3]
    run = subprocess.run([tool, "validate", log], capture_output=True,
                         text=True, timeout=600)
    output = run.stdout + run.stderr
    sys.stdout.write(output)
    errors = [l for l in output.splitlines()
              if re.search(r"(^|\s|:)error(\s|:)", l, re.I)]
    if run.returncode != 0:
        sys.exit("validate_sarif: the validator exited with %d" % run.returncode)
    if "1 files scanned" not in output and "1 file scanned" not in output:
        sys.exit("validate_sarif: the validator did not analyse %s" % log)
    print("validate_sarif: %d error(s)" % len(errors))
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
