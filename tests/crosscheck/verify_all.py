#!/usr/bin/python3
"""Every committed vector passes `ipsec-cts vectors verify` against its own sidecar."""
import argparse
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--vectors", required=True)
    a = ap.parse_args()
    bad = 0
    count = 0
    for sub in ("generated", "published"):
        for dirpath, _, names in os.walk(os.path.join(a.vectors, sub)):
            for n in sorted(names):
                if not n.endswith(".json"):
                    continue
                side = os.path.join(dirpath, n)
                pcap = side[:-5] + ".pcap"
                count += 1
                r = subprocess.run([a.cli, "vectors", "verify", pcap, "--sa", side], capture_output=True, text=True)
                if r.returncode != 0:
                    bad += 1
                    print("FAIL", os.path.relpath(side, a.vectors))
                    print(r.stdout + r.stderr)
    print("verify_all: %d vectors, %d failed" % (count, bad))
    return 1 if bad or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
