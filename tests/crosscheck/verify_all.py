#!/usr/bin/python3
"""Every committed vector passes `ipsec-cts vectors verify` against its own sidecar, with one
PASS line per packet (none with --failures-only); a sidecar with one expectation changed fails
on exactly that packet."""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def packet_lines(stdout):
    return [line for line in stdout.splitlines() if line.startswith("#")]


def check_lines(cli, pcap, side):
    """Problems with the per-packet report of a vector that passes; empty when right."""
    with open(side, encoding="utf-8") as f:
        packets = json.load(f).get("packets", [])
    problems = []
    full = subprocess.run([cli, "vectors", "verify", pcap, "--sa", side], capture_output=True, text=True)
    lines = packet_lines(full.stdout)
    if packets and len(lines) != len(packets):
        problems.append(f"{len(lines)} packet lines for {len(packets)} packets")
    for i, line in enumerate(lines):
        if not line.startswith(f"#{i} PASS "):
            problems.append(f"line {i}: {line}")
            break
    quiet = subprocess.run([cli, "vectors", "verify", pcap, "--sa", side, "--failures-only"],
                           capture_output=True, text=True)
    if quiet.returncode != 0 or packet_lines(quiet.stdout) or "summary:" not in quiet.stdout:
        problems.append("--failures-only: " + quiet.stdout + quiet.stderr)
    return problems


def check_changed_expectation(cli, pcap, side):
    """The first packet's expectation changed: exit 1, and only that packet reported as FAIL."""
    with open(side, encoding="utf-8") as f:
        doc = json.load(f)
    if not doc.get("packets"):
        return []
    first = doc["packets"][0]
    first["expect"] = "replay" if first["expect"] != "replay" else "ok"
    first.pop("inner_protocol", None)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as t:
        json.dump(doc, t)
    try:
        r = subprocess.run([cli, "vectors", "verify", pcap, "--sa", t.name, "--failures-only"],
                           capture_output=True, text=True)
    finally:
        os.unlink(t.name)
    lines = packet_lines(r.stdout)
    if r.returncode != 1 or len(lines) != 1 or not lines[0].startswith("#0 FAIL "):
        return [f"changed expectation: exit {r.returncode}, lines {lines}"]
    return []


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
                    continue
                problems = check_lines(a.cli, pcap, side) + check_changed_expectation(a.cli, pcap, side)
                if problems:
                    bad += 1
                    print("FAIL", os.path.relpath(side, a.vectors), "; ".join(problems))
    print("verify_all: %d vectors, %d failed" % (count, bad))
    return 1 if bad or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
