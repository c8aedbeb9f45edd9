#!/usr/bin/env python3
"""A transparent tap on the process protocol: it serves a real agent and appends every request
line the runner sends to LOG, so a test knows every buffer (and so every key) the device got.

  tap_agent.py LOG -- AGENT [ARG...]
"""
import subprocess
import sys


def main():
    log = open(sys.argv[1], "ab")
    agent = sys.argv[sys.argv.index("--") + 1:]
    child = subprocess.Popen(agent, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        log.write(line)
        log.flush()
        child.stdin.write(line)
        child.stdin.flush()
        out.write(child.stdout.readline())
        out.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
