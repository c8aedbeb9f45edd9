#!/usr/bin/python3
"""The mutant test's judgement of findings (mutant_test.judge_mutants) on synthetic results
documents: under --findings exact a finding that names a requirement its mutant's fault does not
violate fails the test, as does a finding that names none; --imprecise allows named ids and
fails on entries no finding needs; a mutant that survives either run fails in every mode."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutant_test  # noqa: E402

ZOO = [{"name": "update_ignored", "bug": "UPDATE_SA acknowledged, never applied",
        "requirements": ["UPD-003", "SEND-017", "GCM-004"]}]


def finding(*ids, field="wire"):
    return {"step": "steps[3]", "field": field, "expected": "protected", "actual": "corrupt",
            "requirements": list(ids)}


def doc(*cases):
    return {"cases": list(cases), "summary": {}}


def failed(case_id, *findings):
    return {"id": case_id, "verdict": "FAIL", "findings": list(findings)}


def results(dump_doc, nodump_doc):
    return {("update_ignored", True): (dump_doc, 1.0), ("update_ignored", False): (nodump_doc, 1.0)}


class ExactMode(unittest.TestCase):
    def judge(self, res, mode="exact", imprecise=None, check_stale=True):
        _, _, beyond, problems = mutant_test.judge_mutants(ZOO, res, mode, imprecise or {}, check_stale)
        return beyond, problems

    def test_findings_within_the_declaration_pass(self):
        d = doc(failed("updsa.chain", finding("SEND-017", "GCM-004"), finding("UPD-003", field="table.s")))
        beyond, problems = self.judge(results(d, d))
        self.assertEqual(beyond, [])
        self.assertEqual(problems, [])

    def test_a_finding_beyond_the_fault_fails_exact_only(self):
        d = doc(failed("updsa.chain", finding("SEND-017", "GCM-004"), finding("SEND-017", "GCM-001")))
        beyond, problems = self.judge(results(d, d))
        self.assertEqual(len(beyond), 2)  # one per run
        self.assertEqual(len(problems), 2)
        self.assertIn("['GCM-001']", problems[0])
        self.assertIn("updsa.chain steps[3] wire", problems[0])
        # `every` and `any` accept it (it also names a declared id); the listing still shows it.
        for mode in ("every", "any"):
            beyond, problems = self.judge(results(d, d), mode)
            self.assertEqual(len(beyond), 2)
            self.assertEqual(problems, [], mode)

    def test_a_finding_naming_nothing_fails_exact(self):
        d = doc(failed("updsa.chain", finding("SEND-017"), finding()))
        _, problems = self.judge(results(d, d))
        self.assertTrue(problems)
        self.assertIn("names no requirement", problems[0])

    def test_only_undeclared_findings_fail_every_mode(self):
        d = doc(failed("updsa.chain", finding("GCM-001")))
        for mode in ("exact", "every", "any"):
            _, problems = self.judge(results(d, d), mode)
            self.assertTrue(any("no finding names a requirement the fault violates" in p for p in problems), mode)

    def test_a_survivor_fails(self):
        killed = doc(failed("updsa.chain", finding("SEND-017")))
        survived = doc({"id": "updsa.chain", "verdict": "PASS", "findings": []})
        _, problems = self.judge(results(killed, survived))
        self.assertEqual(problems, ["update_ignored (no_dump): survived (no case FAILs)"])

    def test_a_failed_run_fails(self):
        killed = doc(failed("updsa.chain", finding("SEND-017")))
        _, problems = self.judge(results(killed, "exit 134: abort"))
        self.assertEqual(len(problems), 1)
        self.assertIn("the run failed", problems[0])

    def test_imprecise_allows_its_ids_and_only_those(self):
        d = doc(failed("updsa.chain", finding("SEND-017", "GCM-001")))
        _, problems = self.judge(results(d, d), imprecise={"update_ignored": {"GCM-001": "why"}})
        self.assertEqual(problems, [])
        d2 = doc(failed("updsa.chain", finding("SEND-017", "GCM-001", "ICV-001")))
        _, problems = self.judge(results(d2, d2), imprecise={"update_ignored": {"GCM-001": "why"}})
        self.assertEqual(len(problems), 2)

    def test_a_stale_imprecise_entry_fails(self):
        d = doc(failed("updsa.chain", finding("SEND-017")))
        _, problems = self.judge(results(d, d), imprecise={"update_ignored": {"GCM-001": "why"}})
        self.assertEqual(problems, ["--imprecise: update_ignored GCM-001 is named by no finding any more: "
                                    "remove the entry"])
        # A run of a few mutants (--only) cannot tell a stale entry of the others.
        _, problems = self.judge(results(d, d), imprecise={"update_ignored": {"GCM-001": "why"}},
                                 check_stale=False)
        self.assertEqual(problems, [])


if __name__ == "__main__":
    unittest.main()
