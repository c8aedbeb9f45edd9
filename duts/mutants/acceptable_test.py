#!/usr/bin/python3
"""The ACCEPTABLE verdict end to end, on a device that takes the other alternative of OQ-CTS-1
(mutant_plugin.c MUTANT_TUNNEL_AUTH_STATUS: CRYPTO_TUNNEL_ESP_AUTH_FAILED for every ESP ICV
failure) beside unmodified softnic, and the per-device "no-dump:" setting.

It fails unless
  * the whole library ends with no FAIL and no ERROR, at least one case ACCEPTABLE, each naming
    OQ-CTS-1 and the status the device took, and the run still claims CONFORMANT;
  * results.json validates, its summary counts the ACCEPTABLE cases, the CLI summary line shows
    them, JUnit shows them as passing testcases with a property, the HTML has the badge, the
    tile and the filter;
  * `report diff` (softnic -> this device) lists them as changes, not regressions (exit 0);
  * `report merge` of two shards keeps them;
  * "no-dump:" before the device spec reads no dump, exactly as `run --no-dump`.

usage: acceptable_test.py CTS ALTERNATIVE_DUT SOFTNIC_DUT CASES OUT
"""
import json
import os
import shutil
import subprocess
import sys

CTS, ALT, SOFTNIC, CASES, OUT = sys.argv[1:6]
problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def run(*args, expect=0):
    p = subprocess.run([CTS, *args], capture_output=True, text=True, check=False)
    if p.returncode != expect:
        problems.append(f"{' '.join(args[:6])}...: exit {p.returncode}, expected {expect}: {p.stderr[-600:]}")
    return p


def results(folder):
    with open(os.path.join(folder, "results.json"), encoding="utf-8") as f:
        return json.load(f)


def out(name):
    return os.path.join(OUT, name)


shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
p = run("run", "--dut", ALT, "--cases", CASES, "--seed", "5", "--out", out("alt"))
doc = results(out("alt"))
acceptable = [c for c in doc["cases"] if c["verdict"] == "ACCEPTABLE"]
bad = [f"{c['id']} {c['verdict']}: {c.get('error') or c.get('findings', [{}])[0]}" for c in doc["cases"]
       if c["verdict"] in ("FAIL", "ERROR")]
check(not bad, f"the alternative of OQ-CTS-1 is judged as a failure: {bad[:5]}")
check(acceptable, "no case ACCEPTABLE on a device that takes the other alternative of OQ-CTS-1")
for c in acceptable:
    acc = c.get("acceptances", [])
    check(acc and all("OQ-CTS-1" in a["question"] for a in acc), f"{c['id']}: acceptances {acc}")
    check(all(a["device"] == "CRYPTO_TUNNEL_ESP_AUTH_FAILED (5)" for a in acc), f"{c['id']}: device side {acc}")
    check(all(a["oracle"] == "CRYPTO_TRANSPORT_ESP_AUTH_FAILED (3)" for a in acc), f"{c['id']}: oracle side {acc}")
check(doc["summary"].get("acceptable") == len(acceptable), f"summary {doc['summary']} vs {len(acceptable)}")
check(doc["schema_version"] == 2, "schema_version 2")
check(f"{len(acceptable)} ACCEPTABLE" in p.stdout, f"the CLI summary line: {p.stdout[-300:]}")
run("report", "validate", out("alt/results.json"))
html = open(out("alt/report.html"), encoding="utf-8").read()
check('data-banner="CONFORMANT"' in html, "ACCEPTABLE stood in the way of CONFORMANT")
check('class="tile acceptable' in html and 'data-status="acceptable"' in html, "HTML tile and filterable rows")
check('class="badge acceptable' in html or "badge acceptable" in html, "HTML badge")
junit = open(out("alt/junit.xml"), encoding="utf-8").read()
check('<property name="verdict" value="ACCEPTABLE"/>' in junit, "JUnit property of an ACCEPTABLE case")
check("<failure" not in junit and "<error" not in junit, "JUnit counts an ACCEPTABLE case as a failure")

# diff: softnic (the oracle's choice) -> this device: changes, never regressions.
run("run", "--dut", SOFTNIC, "--cases", CASES, "--seed", "5", "--out", out("softnic"))
d = run("report", "diff", out("softnic/results.json"), out("alt/results.json"), "--json", out("diff.json"))
diff = json.load(open(out("diff.json"), encoding="utf-8"))
check(not diff["regressions"], f"diff calls ACCEPTABLE a regression: {diff['regressions'][:3]}")
changed = {c["id"]: c for c in diff["changed"]}
before = {c["id"]: c["verdict"] for c in results(out("softnic"))["cases"]}
newly = [c["id"] for c in acceptable if before.get(c["id"]) == "PASS"]
check(newly, "no case went from PASS on softnic to ACCEPTABLE")
check(all(changed.get(i, {}).get("after") == "ACCEPTABLE" for i in newly), "diff lists PASS -> ACCEPTABLE")

# merge: two shards keep every ACCEPTABLE case and its count.
for i in (1, 2):
    run("run", "--dut", ALT, "--cases", CASES, "--seed", "5", "--shard", f"{i}/2", "--out", out(f"shard{i}"))
run("report", "merge", out("shard1/results.json"), out("shard2/results.json"), "-o", out("merged.json"))
merged = json.load(open(out("merged.json"), encoding="utf-8"))
check(merged["summary"].get("acceptable") == len(acceptable), f"merged summary {merged['summary']}")
run("report", "validate", out("merged.json"))

# no-dump: as a per-device setting, the same verdicts as --no-dump and no dump read.
run("run", "--dut", "no-dump:" + ALT, "--cases", CASES, "--seed", "5", "--filter", "updsa.*", "--out", out("spec_nodump"))
run("run", "--dut", ALT, "--no-dump", "--cases", CASES, "--seed", "5", "--filter", "updsa.*", "--out", out("flag_nodump"))
a, b = results(out("spec_nodump")), results(out("flag_nodump"))
check(a["run"]["device"]["features"].get("dump_ignored") is True and a["run"]["device"]["features"]["dump"] is False,
      f"no-dump: in the spec: features {a['run']['device']['features']}")
check([(c["id"], c["verdict"]) for c in a["cases"]] == [(c["id"], c["verdict"]) for c in b["cases"]],
      "no-dump: in the spec gives other verdicts than --no-dump")

print(f"{len(acceptable)} case(s) ACCEPTABLE (OQ-CTS-1) of {doc['summary']['total']}, none FAIL; "
      f"diff, merge, JUnit, HTML and no-dump: checked")
for p in problems:
    print("PROBLEM:", p)
sys.exit(1 if problems else 0)
