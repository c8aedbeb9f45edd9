#!/usr/bin/python3
"""Checks a results.json from a run against one of the harness wrappers of mutant_plugin.c.

usage: expect_fail.py --error RESULTS_JSON CASE_ID TEXT AFTER_CASE_ID
       expect_fail.py --not-applicable RESULTS_JSON ID_PART TEXT PASS_CASE_ID
  (--error: CASE_ID must be ERROR with TEXT in its message, and AFTER_CASE_ID, which runs after
   it, must still PASS: the runner restarted the device and went on.
   --not-applicable: every case whose id contains ID_PART (at least one) must be NOT_APPLICABLE
   with TEXT in its missing_capability, and PASS_CASE_ID must PASS: a device that lacks an
   optional feature is not failed for it.)
The driver bugs of the mutant zoo are checked by mutant_test.py.
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
    if len(sys.argv) == 6 and sys.argv[1] == "--error":
        return check_error(*sys.argv[2:6])
    if len(sys.argv) == 6 and sys.argv[1] == "--not-applicable":
        return check_not_applicable(*sys.argv[2:6])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
