#!/usr/bin/env python3
"""Runs `ipsec-cts run` against a hostile device and checks what a run must do with it: the case
the device spoiled is ERROR with evidence naming what the device did, every other case still
runs on a fresh device and passes, and no result is lost.

  check_hostile_run.py IPSEC_CTS WORKDIR EXPECT [RUN-ARG...] -- DUT-SPEC-WORDS...

EXPECT is a piece of text the ERROR must contain; RUN-ARGs go to `ipsec-cts run` (--isolate).
The device spec may use {marker}, a file in WORKDIR that hostile devices use to misbehave only
once per run; it is also in the environment as CTS_HOSTILE_MARKER (hostile_plugin.c reads it
there, with CTS_HOSTILE_MODE, _OP and _NTH, which the caller sets).
"""
import json
import os
import shutil
import subprocess
import sys

CASES = "datapath.roundtrip.aes_128_gcm*"


def main():
    ipsec_cts, work, expect = sys.argv[1], sys.argv[2], sys.argv[3]
    run_args = sys.argv[4:sys.argv.index("--")]
    spec_words = sys.argv[sys.argv.index("--") + 1:]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    marker = os.path.join(work, "misbehaved")
    spec = " ".join(spec_words).replace("{marker}", marker)
    root = os.environ["CTS_SOURCE_ROOT"]
    cmd = [ipsec_cts, "run", "--cases", os.path.join(root, "cases/datapath/roundtrip.json"),
           "--filter", CASES, "--seed", "7", "--timeout-ms", "3000", "--dut", spec,
           "--out", os.path.join(work, "out")] + run_args
    env = dict(os.environ, CTS_HOSTILE_MARKER=marker)
    run = subprocess.run(cmd, capture_output=True, timeout=300, env=env)
    stdout = run.stdout.decode("utf-8", "replace")
    print(stdout[-4000:])
    print(run.stderr.decode("utf-8", "replace")[-2000:], file=sys.stderr)
    problems = []
    # What the device sent reaches the terminal escaped: no control characters, no raw bytes.
    if any(b < 0x20 and b not in (0x0A, 0x09) or b >= 0x7F for b in run.stdout + run.stderr):
        problems.append("the runner printed the device's raw bytes (control or non-ASCII)")
    if not os.path.exists(marker):
        problems.append("the device never misbehaved (the test did not test anything)")
    with open(os.path.join(work, "out", "results.json")) as f:
        results = json.load(f)
    cases = results["cases"]
    verdicts = [c["verdict"] for c in cases]
    if len(cases) != 6:
        problems.append("%d case results, expected 6: a result was lost" % len(cases))
    errors = [c for c in cases if c["verdict"] == "ERROR"]
    if len(errors) != 1:
        problems.append("%d ERROR verdicts, expected exactly 1: %s" % (len(errors), verdicts))
    for c in errors:
        text = json.dumps(c)
        if expect not in text:
            problems.append("the ERROR of %s does not say %r: %s" % (c["id"], expect, c.get("error")))
    for c in cases:
        # ACCEPTABLE passes too: softnic takes another alternative an open question allows.
        if c["verdict"] not in ("PASS", "ACCEPTABLE", "ERROR"):
            problems.append("%s: %s, expected PASS (or ACCEPTABLE) on a fresh device" % (c["id"], c["verdict"]))
    if run.returncode in (0, 2):
        problems.append("exit status %d: a run with an ERROR is neither clean nor unusable input"
                        % run.returncode)
    for p in problems:
        print("FAIL:", p)
    if not problems:
        print("ok: %s -> %s (%s)" % (spec_words[0], verdicts, errors[0]["error"][:200] if errors else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
