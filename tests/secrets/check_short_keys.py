#!/usr/bin/env python3
"""Keys shorter than four octets (malformed-length adds) are redacted too: runs short_keys.json
(cases that end in ERROR on purpose, so the ADD request carrying a 3- or 2-octet key is kept as
evidence) on the oracle device with and without --show-keys, same seed. Without --show-keys each
request must equal the --show-keys one except for exactly KeyLength octets, all zero in the
redacted one, at the key's place (ADD_SA_EX: KeyOffset + KeyOffsetBytes); and the key with the
request bytes around it must appear in no file of the redacted run, while the search finds it in
the run that kept it.

  check_short_keys.py IPSEC_CTS WORKDIR
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(exe, work, name, extra):
    out = os.path.join(work, name)
    r = subprocess.run([exe, "run", "--dut", "oracle", "--cases", os.path.join(HERE, "short_keys.json"), "--seed", "5",
                        "--out", out, "--junit", os.path.join(out, "junit.xml"), "--verbose"] + extra,
                       capture_output=True, timeout=120)
    for stream, data in (("stdout.txt", r.stdout), ("stderr.txt", r.stderr)):
        with open(os.path.join(out, stream), "wb") as f:
            f.write(data)
    with open(os.path.join(out, "results.json")) as f:
        return out, r.returncode, {c["id"]: c for c in json.load(f)["cases"]}


def field(step, suffix):
    for f in step.get("request_fields", []):
        if f["name"].endswith(suffix):
            return f["value"]
    return None


def contains(folder, needle):
    hits = []
    for base, _, names in os.walk(folder):
        for name in names:
            with open(os.path.join(base, name), "rb") as f:
                if needle in f.read().lower():
                    hits.append(name)
    return hits


def main():
    exe, work = sys.argv[1:3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    problems = []
    redacted, code, cases = run(exe, work, "redacted", [])
    shown, _, kept = run(exe, work, "shown", ["--show-keys"])
    if code != 1 or len(cases) != 2:
        problems.append("expected two erroring cases (exit 1), got exit %d and %d cases" % (code, len(cases)))
    for cid, case in sorted(cases.items()):
        if not case.get("evidence") or not kept.get(cid, {}).get("evidence"):
            problems.append("%s: no evidence kept: nothing was tested" % cid)
            continue
        a, b = case["evidence"][0], kept[cid]["evidence"][0]
        ra, rb = bytes.fromhex(a["request"]), bytes.fromhex(b["request"])
        length = int(field(b, "EncryptionAlgorithm.KeyLength"))
        differing = [i for i in range(min(len(ra), len(rb))) if ra[i] != rb[i]]
        if len(ra) != len(rb) or not differing or differing[-1] - differing[0] + 1 > length:
            problems.append("%s: the redacted request differs from the kept one at %s (key of %d octets)"
                            % (cid, differing, length))
            continue
        at = differing[0]
        # A key octet that happens to be zero does not differ: the run is within the key's span.
        start = at if differing[-1] - at + 1 == length else None
        key_offset = field(b, "structure.KeyOffset")
        if key_offset is not None:
            start = int(key_offset) + int(field(b, "EncryptionAlgorithm.KeyOffsetBytes"))
        if start is None or any(ra[i] for i in range(start, start + length)) or not (start <= at < start + length):
            problems.append("%s: the key's %d octets at %s are not zeroed in %s" % (cid, length, start, a["request"]))
            continue
        context = rb[max(0, start - 8):start + length]
        if contains(redacted, context.hex().encode()):
            problems.append("%s: key %s with its context appears in %s" % (cid, rb[start:start + length].hex(),
                                                                          contains(redacted, context.hex().encode())))
        if not contains(shown, context.hex().encode()):
            problems.append("%s: --show-keys: the key is nowhere: the search finds nothing" % cid)
        if "SA keys zeroed" not in a.get("note", ""):
            problems.append("%s: the step does not say its keys were zeroed: %r" % (cid, a.get("note")))
    for p in problems:
        print("FAIL:", p)
    if not problems:
        print("ok: the %d short keys are zeroed at their place in every request and appear in no file without "
              "--show-keys" % len(cases))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
