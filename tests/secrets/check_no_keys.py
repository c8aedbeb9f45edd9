#!/usr/bin/env python3
"""Keys never leave a run unless asked for: runs the suite against a mutant that fails (through
tap_agent.py, which records every request the device gets), takes every key of every ADD_SA and
ADD_SA_EX buffer the device received (decoded by `ipsec-cts decode`), and looks for each one,
as raw bytes and as hex in either case, in every file the run produced (results.json, the
journal, report.html, junit.xml, the evidence folder) and in its stdout and stderr. Then the same
run with --show-keys must write the Wireshark esp_sa tables, and they must hold the keys: the
search finds what it looks for.

  check_no_keys.py IPSEC_CTS AGENT MUTANT_PLUGIN WORKDIR
"""
import json
import os
import shutil
import subprocess
import sys

FILTER = "datapath.roundtrip.aes_128_gcm*"
OIDS = {0xFC030202: "ADD_SA", 0xFC030205: "ADD_SA_EX"}
MIN_KEY = 4  # runner/results/key_redaction.h: kMinRedactedKeyBytes


def run(ipsec_cts, agent, plugin, work, name, extra):
    out = os.path.join(work, name)
    tap = os.path.join(work, name + ".requests")
    spec = "cmd:/usr/bin/python3 %s %s -- %s --plugin %s" % (
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "tap_agent.py"), tap, agent, plugin)
    root = os.environ["CTS_SOURCE_ROOT"]
    cmd = [ipsec_cts, "run", "--cases", os.path.join(root, "cases/datapath/roundtrip.json"),
           "--filter", FILTER, "--seed", "5", "--dut", spec, "--out", out,
           "--junit", os.path.join(out, "junit.xml"), "--verbose"] + extra
    r = subprocess.run(cmd, capture_output=True, timeout=300)
    with open(os.path.join(out, "stdout.txt"), "wb") as f:
        f.write(r.stdout)
    with open(os.path.join(out, "stderr.txt"), "wb") as f:
        f.write(r.stderr)
    return out, tap, r.returncode


def keys_of(ipsec_cts, tap, work):
    keys = set()
    with open(tap, "rb") as f:
        lines = f.readlines()
    for n, line in enumerate(lines):
        req = json.loads(line)
        if req.get("op") != "oid_set" or req.get("oid") not in OIDS:
            continue
        path = os.path.join(work, "request-%d.bin" % n)
        with open(path, "wb") as f:
            f.write(bytes.fromhex(req["buffer"]))
        d = subprocess.run([ipsec_cts, "decode", "--oid", OIDS[req["oid"]], path], capture_output=True)
        try:
            doc = json.loads(d.stdout)
        except ValueError:
            continue  # a malformed request the decoder refuses: its keys are in no valid SA
        for e in doc.get("elements", []):
            data = bytes.fromhex(e.get("KeyData", ""))
            for sa in e.get("SecAssoc", []):
                for alg in ("EncryptionAlgorithm", "AuthenticationAlgorithm"):
                    a = sa.get(alg, {})
                    at, n_ = a.get("KeyOffsetBytes", 0), a.get("KeyLength", 0)
                    if n_ >= MIN_KEY and at + n_ <= len(data):
                        keys.add(data[at:at + n_])
    return keys


def files_under(folder):
    for base, _, names in os.walk(folder):
        for name in names:
            yield os.path.join(base, name)


def leaks(folder, keys):
    found = []
    for path in files_under(folder):
        with open(path, "rb") as f:
            data = f.read()
        low = data.lower()
        for k in keys:
            if k in data or k.hex().encode() in low:
                found.append((os.path.relpath(path, folder), k.hex()))
    return found


def main():
    ipsec_cts, agent, plugin, work = sys.argv[1:5]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    problems = []

    out, tap, code = run(ipsec_cts, agent, plugin, work, "redacted", [])
    keys = keys_of(ipsec_cts, tap, work)
    with open(os.path.join(out, "results.json")) as f:
        results = json.load(f)
    failing = [c for c in results["cases"] if c["verdict"] in ("FAIL", "ERROR")]
    if code != 1 or not failing:
        problems.append("the mutant run did not fail (exit %d): nothing was tested" % code)
    if len(keys) < 2 * len(results["cases"]):
        problems.append("only %d keys in the device's ADD requests" % len(keys))
    pcaps = [p for p in files_under(out) if p.endswith(".pcap")]
    esp_sa = [p for p in files_under(out) if p.endswith(".esp_sa")]
    if not pcaps:
        problems.append("no evidence pcap was written: the failing steps left no evidence to check")
    if esp_sa:
        problems.append("esp_sa tables written without --show-keys: %s" % esp_sa[:3])
    with open(os.path.join(out, "report.html")) as f:
        if "--show-keys" not in f.read():
            problems.append("report.html does not say how to get the esp_sa tables (--show-keys)")
    if not any("SA keys zeroed" in json.dumps(c.get("evidence", [])) for c in failing):
        problems.append("no evidence step says keys were redacted: did any request reach the evidence?")
    for path, key in leaks(out, keys):
        problems.append("key %s appears in %s" % (key, path))

    shown, tap2, _ = run(ipsec_cts, agent, plugin, work, "shown", ["--show-keys"])
    esp_sa = [p for p in files_under(shown) if p.endswith(".esp_sa")]
    if not esp_sa:
        problems.append("--show-keys wrote no esp_sa table")
    found = {k for _, k in leaks(shown, keys_of(ipsec_cts, tap2, work))}
    if not found:
        problems.append("--show-keys: no key found anywhere: the search itself finds nothing")

    for p in problems[:40]:
        print("FAIL:", p)
    if not problems:
        print("ok: %d keys of %d cases (%d failing) in none of %d files; with --show-keys %d keys in %d esp_sa tables"
              % (len(keys), len(results["cases"]), len(failing), len(list(files_under(out))), len(found),
                 len(esp_sa)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
