#!/usr/bin/python3
"""Runs a command (ipsec-cts agent-check ...) and requires exit status 1 and every given text in
its output: the check failed, and failed for the named reasons.

usage: expect_findings.py TEXT [TEXT...] -- COMMAND [ARG...]
"""
import subprocess
import sys


def main():
    split = sys.argv.index("--")
    texts, command = sys.argv[1:split], sys.argv[split + 1:]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    print(run.stdout)
    print(run.stderr, file=sys.stderr)
    missing = [t for t in texts if t not in run.stdout]
    if run.returncode != 1:
        print(f"expected exit status 1, got {run.returncode}")
        return 1
    if missing:
        print("missing findings:\n  " + "\n  ".join(missing))
        return 1
    print(f"exit 1 with all {len(texts)} expected findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
