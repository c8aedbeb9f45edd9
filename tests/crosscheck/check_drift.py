#!/usr/bin/python3
"""Drift test: `ipsec-cts vectors generate` into a temporary folder must reproduce every committed
vector (pcap and sidecar) byte for byte, with no file missing and none extra. The seed is read from
the committed provenance, so the test follows the seed the vectors were made with."""
import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile


def files_under(root):
    out = set()
    for sub in ("generated", "published"):
        base = os.path.join(root, sub)
        for dirpath, _, names in os.walk(base):
            for n in names:
                if n.endswith((".pcap", ".json")):
                    out.add(os.path.relpath(os.path.join(dirpath, n), root))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--vectors", required=True)
    a = ap.parse_args()
    committed = files_under(a.vectors)
    if not committed:
        print("drift: no committed vectors under", a.vectors)
        return 1
    seeds = set()
    for rel in committed:
        if rel.startswith("generated/") and rel.endswith(".json"):
            with open(os.path.join(a.vectors, rel)) as f:
                seeds.add(json.load(f)["provenance"]["seed"])
    if len(seeds) != 1:
        print("drift: committed generated vectors do not share one seed:", sorted(seeds))
        return 1
    seed = seeds.pop()
    with tempfile.TemporaryDirectory() as tmp:
        kat = os.path.join(a.vectors, "known-answers", "esp-known-answers.json")
        r = subprocess.run([a.cli, "vectors", "generate", "--seed", str(seed), "--out", tmp,
                            "--known-answers", kat], capture_output=True, text=True)
        if r.returncode != 0:
            print("drift: generate failed:", r.stdout, r.stderr)
            return 1
        fresh = files_under(tmp)
        failures = []
        for rel in sorted(committed - fresh):
            failures.append("committed but no longer generated: " + rel)
        for rel in sorted(fresh - committed):
            failures.append("generated but not committed: " + rel)
        for rel in sorted(committed & fresh):
            if not filecmp.cmp(os.path.join(a.vectors, rel), os.path.join(tmp, rel), shallow=False):
                failures.append("drifted: " + rel)
        for f in failures:
            print("drift:", f)
        print("drift: %d committed files, %d generated, %d problems (seed %d)"
              % (len(committed), len(fresh), len(failures), seed))
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
