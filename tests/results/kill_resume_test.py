#!/usr/bin/python3
"""Nothing lost: a run killed with SIGKILL at a random point and continued with --resume gives the
same results as an uninterrupted run with the same seed (apart from timing), and the final files
are never half-written (results.json appears only whole, through a rename).

usage: kill_resume_test.py IPSEC_CTS DUT_SPEC WORK_DIR [--filter GLOB ...]
The random point is printed; KILL_AT_FRACTION=0.37 replays one.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_results import differences  # noqa: E402

EXE, DUT, WORK = sys.argv[1:4]
EXTRA = sys.argv[4:]
SEED = "4242"
env = dict(os.environ, CI="true")
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
whole, cut = os.path.join(WORK, "whole"), os.path.join(WORK, "cut")


def cmd(out):
    return [EXE, "run", "--dut", DUT, "--seed", SEED, "--out", out, *EXTRA]


start = time.monotonic()
full = subprocess.run(cmd(whole), capture_output=True, text=True, env=env)
elapsed = time.monotonic() - start
if full.returncode not in (0, 1):
    print(f"uninterrupted run: exit {full.returncode}\n{full.stderr}")
    sys.exit(1)

fractions = [float(os.environ["KILL_AT_FRACTION"])] if "KILL_AT_FRACTION" in os.environ else \
    [random.uniform(0.1, 0.9) for _ in range(3)]
for fraction in fractions:
    shutil.rmtree(cut, ignore_errors=True)
    print(f"uninterrupted run: {elapsed:.2f} s; killing a second run after {fraction:.2f} of that "
          f"(KILL_AT_FRACTION={fraction:.2f} replays it)")
    proc = subprocess.Popen(cmd(cut), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(elapsed * fraction)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    journal = os.path.join(cut, "results.partial.jsonl")
    if os.path.exists(os.path.join(cut, "results.json")):
        print("  the run finished before the kill; nothing to resume")
        continue
    if not os.path.exists(journal):
        print("  killed before the journal was created; nothing to resume")
        continue
    with open(journal, encoding="utf-8") as f:
        lines = f.read().split("\n")
    finished = len([line for line in lines[1:] if line.strip()])
    leftovers = [n for n in os.listdir(cut) if n.endswith(".tmp")]
    print(f"  killed: {finished} case line(s) in the journal; stray temporary files: {leftovers}")
    resumed = subprocess.run([EXE, "run", "--dut", DUT, "--resume", cut], capture_output=True, text=True, env=env)
    if resumed.returncode != full.returncode:
        print(f"resumed run: exit {resumed.returncode}, uninterrupted {full.returncode}\n{resumed.stdout}\n{resumed.stderr}")
        sys.exit(1)
    if os.path.exists(journal):
        print("the journal is still there after the resumed run finished")
        sys.exit(1)
    diff = differences(os.path.join(whole, "results.json"), os.path.join(cut, "results.json"))
    if diff:
        print("resumed results differ from the uninterrupted run:\n  " + "\n  ".join(diff))
        sys.exit(1)
    v = subprocess.run([EXE, "report", "validate", os.path.join(cut, "results.json")], capture_output=True, text=True)
    if v.returncode != 0:
        print(v.stdout + v.stderr)
        sys.exit(1)
    print(f"  resumed after {finished} finished case(s): results equal to the uninterrupted run")
print("nothing lost: every killed run resumed to the uninterrupted result")
