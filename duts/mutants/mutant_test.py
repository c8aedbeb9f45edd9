#!/usr/bin/python3
"""The mutant test: the whole case library against every mutant of duts/mutants/mutants.json,
once with the device's dump and once without it (what a black-box driver shows), and against
both unmodified builds of softnic.

It fails unless
  * softnic and softnic-full end with no FAIL and no ERROR (with and without their dump);
  * every mutant gets at least one FAIL in both runs (it is "killed");
  * the findings name requirements the mutant's fault violates (its declared "requirements"),
    as strictly as --findings says:
      any    in each run, at least one killing finding names a declared requirement
      every  every finding names at least one declared requirement
      exact  every finding names only declared requirements
    Findings that fall short of `exact` are counted and listed either way.
    With --imprecise FILE (a JSON object {"mutant": {"REQ-ID": "why it is still named"}}), a
    finding under `exact` may name those ids beyond its mutant's declaration and no other; an
    entry no finding needs any more is stale and fails the test, so the list only shrinks.

It writes <out>/kill_matrix.json (which cases killed which mutant, per run, with the mutants'
bugs and requirements), the pages <out>/matrix-{dump,nodump}/kill_matrix.html (ipsec-cts
killmatrix) and prints one line per mutant, the weakest first.

usage: mutant_test.py --cts BIN --lib-dir DIR --mutants JSON --cases DIR --out DIR
                      [--jobs N] [--seed N] [--findings any|every|exact] [--imprecise JSON]
                      [--only NAME ...]
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cts", required=True, help="the ipsec-cts executable")
    p.add_argument("--lib-dir", required=True, help="folder of libipsec_cts_softnic*.so and the mutants")
    p.add_argument("--mutants", required=True, help="duts/mutants/mutants.json")
    p.add_argument("--cases", required=True, help="the case library")
    p.add_argument("--out", required=True, help="output folder (one results folder per run)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--findings", choices=("any", "every", "exact"), default="exact",
                   help="how strictly findings must name the fault's requirements (default exact)")
    p.add_argument("--only", nargs="*", default=[], help="mutant names to run (default: all)")
    p.add_argument("--imprecise", help="ids findings of a mutant may still name beyond its declaration")
    return p.parse_args()


class Runner:
    def __init__(self, args):
        self.args = args

    def run(self, label, library, dump):
        """One run of the library; returns (label, dump, results document or error text, seconds)."""
        out_dir = os.path.join(self.args.out, f"{label}.{'dump' if dump else 'nodump'}")
        shutil.rmtree(out_dir, ignore_errors=True)
        cmd = [self.args.cts, "run", "--dut", f"plugin:{library}", "--cases", self.args.cases,
               "--seed", str(self.args.seed), "--out", out_dir] + ([] if dump else ["--no-dump"])
        start = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - start
        path = os.path.join(out_dir, "results.json")
        if proc.returncode not in (0, 1) or not os.path.exists(path):
            return label, dump, f"exit {proc.returncode}: {proc.stderr.strip()[-600:]}", seconds
        with open(path, encoding="utf-8") as f:
            return label, dump, json.load(f), seconds


def failing(doc, verdict):
    return [c for c in doc["cases"] if c["verdict"] == verdict]


def judge_mutants(zoo, results, findings_mode, imprecise, check_stale=True):
    """Judges the mutants' runs: `results` maps (name, dump) to (results document or error text,
    seconds). Returns (kill matrix, (no-dump kills, dump kills, name) per mutant, findings that
    name requirements beyond their fault, problems). Kept apart from the runs so that
    mutant_judge_test.py can feed it synthetic documents."""
    still_needed = set()
    matrix = {"mutants": []}
    misattributed = []
    problems = []
    lines = []
    for m in zoo:
        declared = set(m["requirements"])
        allowed = set(imprecise.get(m["name"], {}))
        entry = {"name": m["name"], "bug": m["bug"], "requirements": m["requirements"], "runs": {}}
        for dump in (True, False):
            how = "dump" if dump else "no_dump"
            doc, seconds = results[(m["name"], dump)]
            if isinstance(doc, str):
                problems.append(f"{m['name']} ({how}): the run failed: {doc}")
                entry["runs"][how] = {"error": doc, "killed_by": []}
                continue
            killers = failing(doc, "FAIL")
            entry["runs"][how] = {
                "killed_by": [c["id"] for c in killers],
                "errors": [c["id"] for c in failing(doc, "ERROR")],
                "seconds": round(seconds, 2)}
            if not killers:
                problems.append(f"{m['name']} ({how}): survived (no case FAILs)")
            attributed = 0
            for c in killers:
                for finding in c.get("findings", []):
                    named = set(finding.get("requirements", []))
                    where = f"{c['id']} {finding['step']} {finding['field']}"
                    if named & declared:
                        attributed += 1
                    if named <= declared and named:
                        continue
                    if named:
                        note = (f"{m['name']} ({how}): {where} names {sorted(named - declared)}, which the "
                                f"fault does not violate (declared {sorted(declared)})")
                    else:
                        note = f"{m['name']} ({how}): {where} names no requirement"
                    misattributed.append(note)
                    for r in (named - declared) & allowed:
                        still_needed.add((m["name"], r))
                    if findings_mode == "exact" and (not named or not (named - declared) <= allowed):
                        problems.append(note)
                    elif findings_mode == "every" and not named & declared:
                        problems.append(note)
            if killers and attributed == 0:
                problems.append(f"{m['name']} ({how}): no finding names a requirement the fault "
                                f"violates (declared {sorted(declared)})")
            entry["runs"][how]["attributed_findings"] = attributed
        matrix["mutants"].append(entry)
        d = len(entry["runs"].get("dump", {}).get("killed_by", []))
        n = len(entry["runs"].get("no_dump", {}).get("killed_by", []))
        lines.append((n, d, m["name"]))

    if check_stale:
        for name, ids in imprecise.items():
            for r in ids:
                if (name, r) not in still_needed:
                    problems.append(f"--imprecise: {name} {r} is named by no finding any more: remove the entry")
    return matrix, lines, misattributed, problems


def main():
    args = parse_args()
    with open(args.mutants, encoding="utf-8") as f:
        zoo = json.load(f)["mutants"]
    if args.only:
        unknown = set(args.only) - {m["name"] for m in zoo}
        if unknown:
            print(f"mutant_test: {args.mutants}: no mutant named {sorted(unknown)}")
            return 2
        zoo = [m for m in zoo if m["name"] in args.only]
    os.makedirs(args.out, exist_ok=True)
    runner = Runner(args)

    jobs = []
    references = {"softnic": "libipsec_cts_softnic.so", "softnic-full": "libipsec_cts_softnic_full.so"}
    for label, lib in references.items():
        for dump in (True, False):
            jobs.append((label, os.path.join(args.lib_dir, lib), dump))
    for m in zoo:
        lib = os.path.join(args.lib_dir, f"libipsec_cts_mutant_{m['name']}.so")
        for dump in (True, False):
            jobs.append((m["name"], lib, dump))

    started = time.monotonic()
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for label, dump, doc, seconds in pool.map(lambda j: runner.run(*j), jobs):
            results[(label, dump)] = (doc, seconds)

    problems = []
    for label in references:
        for dump in (True, False):
            doc, _ = results[(label, dump)]
            how = "with dump" if dump else "without dump"
            if isinstance(doc, str):
                problems.append(f"{label} ({how}): the run failed: {doc}")
                continue
            bad = failing(doc, "FAIL") + failing(doc, "ERROR")
            for c in bad:
                detail = c.get("error") or "; ".join(
                    f"{x['field']}: expected {x['expected']}, got {x['actual']}" for x in c.get("findings", []))
                problems.append(f"{label} ({how}): {c['id']} {c['verdict']}: {detail[:300]}")
            if not bad:
                s = doc["summary"]
                print(f"{label} ({how}): {s['pass']} PASS, {s.get('acceptable', 0)} ACCEPTABLE, {s['not_applicable']} NOT_APPLICABLE, "
                      f"0 FAIL, 0 ERROR")

    imprecise = {}
    if args.imprecise:
        with open(args.imprecise, encoding="utf-8") as f:
            imprecise = {k: v for k, v in json.load(f).items() if not k.startswith("$")}
    matrix, lines, misattributed, judged = judge_mutants(zoo, results, args.findings, imprecise,
                                                         check_stale=not args.only)
    problems += judged

    with open(os.path.join(args.out, "kill_matrix.json"), "w", encoding="utf-8") as f:
        json.dump(matrix, f, indent=2, sort_keys=True)
        f.write("\n")

    # The same matrix as a page (ipsec-cts killmatrix), one per run kind.
    for dump in (True, False):
        kind = "dump" if dump else "nodump"
        dirs = [os.path.join(args.out, f"{m['name']}.{kind}") for m in zoo
                if not isinstance(results[(m["name"], dump)][0], str)]
        if dirs:
            page = subprocess.run([args.cts, "killmatrix", "--from", *dirs, "--out",
                                   os.path.join(args.out, f"matrix-{kind}")],
                                  capture_output=True, text=True, check=False)
            if page.returncode != 0:
                problems.append(f"ipsec-cts killmatrix ({kind}) exit {page.returncode}: "
                                f"{page.stderr.strip()[-300:]}")

    print("killing cases per mutant, weakest first (without dump / with dump):")
    for n, d, name in sorted(lines):
        print(f"  {n:4d} / {d:4d}  {name}")
    killed_dump = sum(1 for e in matrix["mutants"] if e["runs"].get("dump", {}).get("killed_by"))
    killed_nodump = sum(1 for e in matrix["mutants"] if e["runs"].get("no_dump", {}).get("killed_by"))
    print(f"mutants killed: {killed_dump}/{len(zoo)} with dump, {killed_nodump}/{len(zoo)} without "
          f"dump; {len(jobs)} runs in {time.monotonic() - started:.1f} s "
          f"with --findings {args.findings}")
    listing = os.path.join(args.out, "findings_beyond_fault.txt")
    with open(listing, "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in misattributed))
    if not misattributed:
        print("0 findings name requirements beyond their fault's declaration")
    else:
        print(f"{len(misattributed)} finding(s) name requirements beyond their fault's declaration "
              f"(listed in {listing}); the first: {misattributed[0]}")
    for p in problems:
        print(f"PROBLEM: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
