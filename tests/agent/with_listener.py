#!/usr/bin/python3
"""Starts an agent with --listen 127.0.0.1:0, reads the "listening on HOST:PORT" line, runs a
command with {endpoint} replaced by tcp:HOST:PORT, stops the agent and returns the command's
exit status.

usage: with_listener.py AGENT [ARG...] -- COMMAND [ARG...]
"""
import subprocess
import sys


def main():
    split = sys.argv.index("--")
    agent, command = sys.argv[1:split], sys.argv[split + 1:]
    server = subprocess.Popen(agent + ["--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline().strip()
        if not line.startswith("listening on "):
            print(f"the agent did not announce its port: {line!r}")
            return 1
        endpoint = "tcp:" + line[len("listening on "):]
        return subprocess.run([a.replace("{endpoint}", endpoint) for a in command], timeout=600).returncode
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
