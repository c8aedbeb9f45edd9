#!/usr/bin/python3
"""Checks a results.json from a run against a mutant: the named case must be FAIL with a finding
on the given field carrying the given requirement ID (the suite saw the injected bug, and said
where and why).

usage: expect_fail.py RESULTS_JSON CASE_ID FIELD_PREFIX REQUIREMENT_ID
       expect_fail.py --error RESULTS_JSON CASE_ID TEXT AFTER_CASE_ID
       expect_fail.py --not-applicable RESULTS_JSON ID_PART TEXT PASS_CASE_ID
  (--error: CASE_ID must be ERROR with TEXT in its message, and AFTER_CASE_ID, which runs after
   it, must still PASS: the runner restarted the device and went on.
   --not-applicable: every case whose id contains ID_PART (at least one) must be NOT_APPLICABLE
   with TEXT in its missing_capability, and PASS_CASE_ID must PASS: a device that lacks an
   optional feature is not failed for it.)
"""
import json
import sys


def check_error(path, case_id, text, after_id):
    with open(path, encoding="utf-8") as f:
        cases = {c["id"]: c for c in json.load(f)["cases"]}
    c, after = cases.get(case_id), cases.get(after_id)
    if c is None or c["verdict"] != "ERROR" or text not in c.get("error", ""):
        print(f"{case_id}: expected ERROR mentioning '{text}', got {c and (c['verdict'], c.get('error'))}")
        return 1
    if after is None or after["verdict"] != "PASS":
        print(f"{after_id}: expected PASS after the restart, got {after and after['verdict']}")
        return 1
    print(f"{case_id}: ERROR: {c['error']}; {after_id}: PASS after the restart")
    return 0


def check_not_applicable(path, id_part, text, pass_id):
    with open(path, encoding="utf-8") as f:
        cases = {c["id"]: c for c in json.load(f)["cases"]}
    named = [c for i, c in cases.items() if id_part in i]
    if not named:
        print(f"no case id contains '{id_part}'")
        return 1
    for c in named:
        if c["verdict"] != "NOT_APPLICABLE" or text not in c.get("missing_capability", ""):
            print(f"{c['id']}: expected NOT_APPLICABLE mentioning '{text}', got {c['verdict']} "
                  f"{c.get('missing_capability')} {c.get('findings')}")
            return 1
    other = cases.get(pass_id)
    if other is None or other["verdict"] != "PASS":
        print(f"{pass_id}: expected PASS, got {other and other['verdict']}")
        return 1
    print(f"{len(named)} case(s) NOT_APPLICABLE: {named[0]['missing_capability']}; {pass_id}: PASS")
    return 0


def main():
    if sys.argv[1] == "--error":
        return check_error(*sys.argv[2:6])
    if sys.argv[1] == "--not-applicable":
        return check_not_applicable(*sys.argv[2:6])
    path, case_id, field, requirement = sys.argv[1:5]
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("schema_version") != 1:
        print(f"{path}: schema_version {doc.get('schema_version')}, expected 1")
        return 1
    cases = {c["id"]: c for c in doc["cases"]}
    c = cases.get(case_id)
    if c is None:
        print(f"{case_id}: not in {path}")
        return 1
    if c["verdict"] != "FAIL":
        print(f"{case_id}: verdict {c['verdict']}, expected FAIL")
        return 1
    for finding in c.get("findings", []):
        if finding["field"].startswith(field) and requirement in finding["requirements"]:
            print(f"{case_id}: FAIL at {finding['step']} {finding['field']}: expected "
                  f"{finding['expected']}, got {finding['actual']} {finding['requirements']}")
            if not c.get("evidence"):
                print(f"{case_id}: a FAIL without evidence")
                return 1
            return 0
    print(f"{case_id}: no finding on {field} citing {requirement}: {json.dumps(c.get('findings'), indent=1)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
