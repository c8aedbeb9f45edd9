#!/usr/bin/python3
"""Checks a results.json from a run against a mutant: the named case must be FAIL with a finding
on the given field carrying the given requirement ID (the suite saw the injected bug, and said
where and why).

usage: expect_fail.py RESULTS_JSON CASE_ID FIELD_PREFIX REQUIREMENT_ID
       expect_fail.py --error RESULTS_JSON CASE_ID TEXT AFTER_CASE_ID
  (--error: CASE_ID must be ERROR with TEXT in its message, and AFTER_CASE_ID, which runs after
   it, must still PASS: the runner restarted the device and went on.)
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


def main():
    if sys.argv[1] == "--error":
        return check_error(*sys.argv[2:6])
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
