#!/usr/bin/python3
"""Shards of one run merge into the unsharded run: `run --shard i/3` three times (the third
through GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS), `report merge`, and the merged results equal an
unsharded run of the same seed apart from timing; the merged report is CONFORMANT exactly when
the unsharded one is; a shard of another seed is refused; the merge time is printed.

usage: shard_merge_test.py IPSEC_CTS DUT_SPEC WORK_DIR
"""
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_results import differences  # noqa: E402

EXE, DUT, WORK = sys.argv[1:4]
SEED = "777"
env = dict(os.environ, CI="true")
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
p = lambda *a: os.path.join(WORK, *a)
problems = []


def run(args, expect=(0, 1), extra_env=None):
    r = subprocess.run([EXE, *args], capture_output=True, text=True, env=dict(env, **(extra_env or {})))
    if r.returncode not in expect:
        problems.append(f"{' '.join(args)}: exit {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r


whole = run(["run", "--dut", DUT, "--seed", SEED, "--out", p("whole")])
run(["run", "--dut", DUT, "--seed", SEED, "--shard", "1/3", "--out", p("s1")])
run(["run", "--dut", DUT, "--seed", SEED, "--shard", "2/3", "--out", p("s2")])
run(["run", "--dut", DUT, "--seed", SEED, "--out", p("s3")], extra_env={"GTEST_SHARD_INDEX": "2", "GTEST_TOTAL_SHARDS": "3"})
shards = [p("s1", "results.json"), p("s2", "results.json"), p("s3", "results.json")]
for s in shards:
    html = open(os.path.join(os.path.dirname(s), "report.html"), encoding="utf-8").read()
    if 'data-banner="PARTIAL RUN"' not in html:
        problems.append(f"{s}: a single shard must be a PARTIAL RUN")
start = time.monotonic()
run(["report", "merge", *shards, "-o", p("merged", "results.json")], expect=(0,))
merge_s = time.monotonic() - start
print(f"report merge of 3 shards (with the views): {merge_s * 1000:.0f} ms")
problems += differences(p("whole", "results.json"), p("merged", "results.json"))
whole_html = open(p("whole", "report.html"), encoding="utf-8").read()
merged_html = open(p("merged", "report.html"), encoding="utf-8").read()
banner = lambda html: html.split('data-banner="', 1)[1].split('"', 1)[0] if 'data-banner="' in html else None
if banner(whole_html) != banner(merged_html):
    problems.append(f"banner of the unsharded run {banner(whole_html)} != merged {banner(merged_html)}")
print(f"banner: {banner(merged_html)}")
run(["report", "validate", p("merged", "results.json")], expect=(0,))

# A shard of another seed is not part of this run.
run(["run", "--dut", DUT, "--seed", "778", "--shard", "3/3", "--out", p("other")])
r = run(["report", "merge", shards[0], shards[1], p("other", "results.json"), "-o", p("bad.json")], expect=(2,))
if "seed 778" not in r.stderr:
    problems.append(f"refusal does not name the seed: {r.stderr}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("3 shards merged equal the unsharded run")
