#!/usr/bin/python3
"""End-to-end checks of the results tooling on real runs: exit codes (0/1/2), expectations with
stale entries, --rerun-failed, `report diff`, `report validate`, `report package`/`verify`
(and a tampered package), no absolute path of this machine in any view, and every results file
produced here valid against reports/schema/results.schema.json.

usage: results_cli_test.py IPSEC_CTS SOFTNIC_PLUGIN MUTANT_PLUGIN CRASH_PLUGIN SOURCE_ROOT WORK_DIR
The mutant reports a bad ICV with a wrong CryptoStatus (RECV-009): recv.oob.icv_failure FAILs on it. The crash
plugin aborts inside UPDATE_SA: in-process it takes the runner down (the journal keeps every
finished case and the message names the running case and --isolate); isolated, its errors stop
the run at --max-consecutive-errors.
"""
import ctypes
import ctypes.util
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tarfile

EXE, SOFTNIC, MUTANT, CRASH, ROOT, WORK = sys.argv[1:7]
FAILED = []


def run(*args, expect, env=None):
    e = dict(os.environ, CI="true")
    if env:
        e.update(env)
    p = subprocess.run([EXE, *args], capture_output=True, text=True, env=e)
    if p.returncode != expect:
        FAILED.append(f"{' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def check(cond, what):
    if not cond:
        FAILED.append(what)


def validate(path):
    run("report", "validate", path, expect=0)


def no_machine_paths(folder):
    """Every file a run leaves (results, views, journal, evidence pcaps and esp_sa tables) is free
    of this machine's paths."""
    seen = 0
    for base, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(base, name)
            data = open(path, "rb").read()
            seen += 1
            for secret in (ROOT, WORK, os.path.dirname(SOFTNIC)):
                check(secret.encode() not in data, f"{path} contains the absolute path {secret}")
    check(seen >= 2, f"{folder}: no views to check")


def html_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")


def libpcap_frames(path):
    """The records of a capture as libpcap itself reads them (pcap_open_offline, pcap_next_ex)."""
    lib = ctypes.CDLL(ctypes.util.find_library("pcap") or "libpcap.so.0.8")
    lib.pcap_open_offline.restype = ctypes.c_void_p
    lib.pcap_open_offline.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.pcap_next_ex.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)]
    lib.pcap_close.argtypes = [ctypes.c_void_p]
    errbuf = ctypes.create_string_buffer(512)
    handle = lib.pcap_open_offline(path.encode(), errbuf)
    if not handle:
        FAILED.append(f"libpcap cannot open {path}: {errbuf.value.decode()}")
        return []
    frames = []
    header, data = ctypes.c_void_p(), ctypes.c_void_p()
    while lib.pcap_next_ex(handle, ctypes.byref(header), ctypes.byref(data)) == 1:
        caplen = ctypes.cast(header, ctypes.POINTER(ctypes.c_uint32))[4]  # after struct timeval (16 bytes)
        frames.append(ctypes.string_at(data, caplen))
    lib.pcap_close(handle)
    return frames


def tshark_esp(pcap, esp_sa):
    """tshark's ESP fields per frame, with the esp_sa table installed as the profile's UAT file."""
    home = os.path.join(WORK, "tshark_home")
    cfg = os.path.join(home, ".config", "wireshark")
    os.makedirs(cfg, exist_ok=True)
    shutil.copy(esp_sa, os.path.join(cfg, "esp_sa"))
    fields = ["esp.spi", "esp.protocol", "esp.icv_good", "esp.icv_bad"]
    cmd = ["/usr/bin/tshark", "-n", "-r", pcap, "-o", "esp.enable_encryption_decode:TRUE",
           "-o", "esp.enable_authentication_check:TRUE", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=l"]
    for f in fields:
        cmd += ["-e", f]
    r = subprocess.run(cmd, capture_output=True, text=True,
                       env=dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config")))
    if r.returncode != 0:
        FAILED.append(f"tshark on {pcap}: exit {r.returncode}: {r.stderr}")
        return []
    return [dict(zip(fields, line.split("\t"))) for line in r.stdout.splitlines()]


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
out = lambda name: os.path.join(WORK, name)

# Exit 2: a selection that matches no case.
p = run("run", "--dut", "oracle", "--filter", "no.such.case.*", "--out", out("empty"), expect=2)
check("matches no case" in p.stderr, f"empty selection message: {p.stderr}")

# Exit 2: a case citing a requirement id the catalogue lacks (as lint).
bad_cases = out("bad_cases")
os.makedirs(bad_cases)
src = os.path.join(ROOT, "cases", "addsa", "null_handles.json")
doc = json.load(open(src))
doc["cases"][0]["requirements"] = ["NOPE-999"]
json.dump(doc, open(os.path.join(bad_cases, "bad.json"), "w"))
p = run("run", "--dut", "oracle", "--cases", bad_cases, "--out", out("bad"), expect=2)
check("NOPE-999" in p.stderr and "bad.json" in p.stderr, f"unknown requirement message: {p.stderr}")

# Exit 0 for a clean filtered run; the banner says PARTIAL RUN, never CONFORMANT.
p = run("run", "--dut", f"plugin:{SOFTNIC}", "--seed", "3", "--filter", "recv.oob.*", "--out", out("clean"), expect=0)
validate(out("clean/results.json"))
html = open(out("clean/report.html"), encoding="utf-8").read()
check('data-banner="PARTIAL RUN"' in html and ">CONFORMANT<" not in html, "filtered run banner")
check("only cases matching --filter recv.oob.*" in html, "banner names the filter")
no_machine_paths(out("clean"))
res = json.load(open(out("clean/results.json")))
check(all(not c["file"].startswith("/") for c in res["cases"]), "case files relative")
check(res["run"]["device"]["spec"].startswith("plugin:") and "/" not in res["run"]["device"]["spec"], "spec without path")
junit = open(out("clean/junit.xml"), encoding="utf-8").read()
check('name="recv/' in junit or 'name="recv' in junit, f"JUnit suite names are relative: {junit[:400]}")


def junit_names(folder):
    text = open(os.path.join(folder, "junit.xml"), encoding="utf-8").read()
    return sorted(set(re.findall(r'<testsuite name="([^"]*)"', text))), sorted(re.findall(r'classname="([^"]*)"', text))


# JUnit suite names and case files are stable across workspaces and selections: a library file is
# named from the library's root whether the run names the library, one folder of it, one file of
# it, or a copy of it in another workspace.
workspace = out("workspace2")
shutil.copytree(os.path.join(ROOT, "cases"), os.path.join(workspace, "cases"))
names = junit_names(out("clean"))
check(names[0] == ["recv/basics.json"], f"suite names of the library run: {names[0]}")
for label, cases_arg in (("folder", os.path.join(ROOT, "cases", "recv")),
                         ("file", os.path.join(ROOT, "cases", "recv", "basics.json")),
                         ("copy", os.path.join(workspace, "cases"))):
    run("run", "--dut", f"plugin:{SOFTNIC}", "--seed", "3", "--cases", cases_arg, "--filter", "recv.oob.*",
        "--out", out("names_" + label), expect=0)
    check(junit_names(out("names_" + label)) == names,
          f"--cases {label}: JUnit names {junit_names(out('names_' + label))[0]} differ from the library run's {names[0]}")
    no_machine_paths(out("names_" + label))

# The progress line: on a terminal, one line rewritten in place (cases done, failures so far,
# elapsed, estimate) and cleared at the end; nothing of it under CI=true or when stderr is a pipe.
def run_on_terminal(args, ci):
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "true"
    proc = subprocess.Popen([EXE, *args], stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    data = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    proc.wait()
    os.close(master)
    return proc.returncode, data.decode("utf-8", "replace")


progress_args = ["run", "--dut", f"plugin:{MUTANT}", "--seed", "3", "--filter", "recv.oob.*", "--out", out("progress")]
code, tty_err = run_on_terminal(progress_args, ci=False)
lines = re.findall(r"\[(\d+)/(\d+)\] (\d+) failing, \d+:\d\d elapsed, ~\d+:\d\d left", tty_err)
prog = json.load(open(out("progress/results.json")))
check(code == 1 and lines and int(lines[-1][0]) == int(lines[-1][1]) == prog["summary"]["total"] and
      int(lines[-1][2]) == prog["summary"]["fail"] + prog["summary"]["error"],
      f"progress line on a terminal: exit {code}, last {lines[-1:]} for {prog['summary']}: {tty_err[-300:]!r}")
check([int(l[0]) for l in lines] == list(range(1, len(lines) + 1)), f"progress counts: {[l[0] for l in lines][:20]}")
check("\r\x1b[K" in tty_err[tty_err.rfind(" left"):], f"progress line left on the terminal: {tty_err[-120:]!r}")
code, ci_err = run_on_terminal(progress_args, ci=True)
check(code == 1 and "failing, " not in ci_err and "\x1b[K" not in ci_err, f"progress line under CI=true: {ci_err[-300:]!r}")
piped = subprocess.run([EXE, *progress_args], capture_output=True, text=True,
                       env={k: v for k, v in os.environ.items() if k != "CI"})
check(piped.returncode == 1 and "failing, " not in piped.stderr and "\r" not in piped.stderr,
      f"progress line on a pipe: {piped.stderr[-300:]!r}")

# Exit 1 on the mutant; each failing case prints the one command line that reproduces it.
# --show-keys: the esp_sa table that opens the failing step's pcap is written only with it.
p = run("run", "--dut", f"plugin:{MUTANT}", "--seed", "3", "--filter", "recv.oob.*", "--show-keys", "--out", out("mutant"),
        expect=1)
check("reproduce: ipsec-cts run --dut plugin:" in p.stdout and "--filter recv.oob.icv_failure" in p.stdout,
      f"reproduce line: {p.stdout}")
validate(out("mutant/results.json"))
no_machine_paths(out("mutant"))
mres = json.load(open(out("mutant/results.json")))
failing = sorted(c["id"] for c in mres["cases"] if c["verdict"] in ("FAIL", "ERROR"))
check("recv.oob.icv_failure" in failing, f"mutant failures: {failing}")
html = open(out("mutant/report.html"), encoding="utf-8").read()
check("Reproduce" in html, "reproduce command in the HTML")
# The one reproducing command line in every view: results.json, JUnit, HTML (CLI above).
junit = open(out("mutant/junit.xml"), encoding="utf-8").read()
for c in mres["cases"]:
    if c["verdict"] not in ("FAIL", "ERROR"):
        check("reproduce" not in c, f"{c['id']}: a passing case carries no reproduce line")
        continue
    cmd = c.get("reproduce", "")
    check(cmd.startswith("ipsec-cts run --dut plugin:") and f"--filter {c['id']}" in cmd and "--seed 3" in cmd,
          f"{c['id']}: reproduce in results.json: {cmd!r}")
    check("Reproduce: " + cmd in junit, f"{c['id']}: reproduce line in JUnit")
    check(html_escape(cmd) in html, f"{c['id']}: reproduce line in the HTML")

# A run of part of the library, started from the repository root: the reproduce line names the case
# file from there (cases/recv/basics.json, though --cases named the folder by its absolute path),
# and run from the repository root it runs that case again with the same verdict. The plugin is
# named by its path relative to the root, which the results keep as given (absolute paths are not).
rel_mutant = os.path.relpath(MUTANT, ROOT)
p = subprocess.run([EXE, "run", "--dut", f"plugin:{rel_mutant}", "--cases", os.path.join(ROOT, "cases", "recv"),
                    "--seed", "3", "--filter", "recv.oob.icv_failure", "--out", out("part")],
                   capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, CI="true"))
part = json.load(open(out("part/results.json")))
icv_case = [c for c in part["cases"] if c["id"] == "recv.oob.icv_failure"]
cmd = icv_case[0].get("reproduce", "") if icv_case else ""
check(p.returncode == 1 and not part["run"]["library"] and
      cmd == f"ipsec-cts run --dut plugin:{rel_mutant} --cases cases/recv/basics.json --seed 3 "
             "--filter recv.oob.icv_failure", f"partial-library reproduce line: exit {p.returncode}: {cmd!r}")
no_machine_paths(out("part"))
if cmd.startswith("ipsec-cts run "):
    again = subprocess.run(["/bin/sh", "-c", EXE + " run --out " + out("part_again") + cmd[len("ipsec-cts run"):]],
                           capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, CI="true"))
    redo = json.load(open(out("part_again/results.json"))) if os.path.exists(out("part_again/results.json")) else {}
    check(again.returncode == 1 and [(c["id"], c["verdict"]) for c in redo.get("cases", [])] ==
          [("recv.oob.icv_failure", "FAIL")], f"the reproduce line from the repository root: exit {again.returncode}: "
          f"{again.stderr[-400:]}")

# The failing datapath step's exchange: a pcap libpcap reads and the esp_sa table that opens it
# decrypted in Wireshark, both next to results.json, named in the JSON and linked from the HTML.
icv = next(c for c in mres["cases"] if c["id"] == "recv.oob.icv_failure")
arts = {a["kind"]: a for a in icv.get("artifacts", [])}
check(set(arts) == {"pcap", "esp_sa"}, f"icv_failure artifacts: {icv.get('artifacts')}")
if set(arts) == {"pcap", "esp_sa"}:
    pcap = out("mutant/" + arts["pcap"]["path"])
    esp_sa = out("mutant/" + arts["esp_sa"]["path"])
    check(arts["pcap"]["step"] == arts["esp_sa"]["step"] and
          any(f["step"].startswith(arts["pcap"]["step"]) for f in icv["findings"]), "artifacts name the failing step")
    check(f'href="{arts["pcap"]["path"]}"' in html and f'href="{arts["esp_sa"]["path"]}"' in html, "artifact links in the HTML")
    check("holds the SA's keys" in html, "the report names the esp_sa table as secret-bearing")
    frames = libpcap_frames(pcap)
    check(len(frames) >= 2, f"{pcap}: {len(frames)} frame(s) read by libpcap")
    table = open(esp_sa, encoding="utf-8").read()
    rows = [l for l in table.splitlines() if l and not l.startswith("#")]
    check(len(rows) == 1 and "SECRET" in table, f"esp_sa table: {table}")
    if rows:
        cols = [c.strip('"') for c in rows[0].split('","')]
        # A GCM row carries key and salt; tshark below proves they are the SA's by decrypting.
        check(len(cols) == 8 and cols[5].startswith("0x") and len(cols[5]) == 2 + 2 * 20,
              f"esp_sa encryption key column: {cols}")
        spi = int(cols[3], 16)
        tshark = tshark_esp(pcap, esp_sa)
        first = tshark[0] if tshark else {}
        # Decrypted with the right key, the trailer's Next Header is an inner protocol (UDP, TCP,
        # IPv4, IPv6); with a wrong key it would be noise.
        check(first.get("esp.spi", "").lower() in (hex(spi), "0x%08x" % spi) and
              first.get("esp.protocol", "").lower() in ("0x11", "0x06", "0x04", "0x29", "17", "6", "4", "41"),
              f"tshark does not decrypt the captured exchange with its esp_sa table: {tshark}")
        # The evidence decoded: the ADD request's fields by their ndis.h names (the SPI of the
        # esp_sa row, the key named by its length only), the OOB words of both sides.
        add = next((e for e in icv.get("evidence", []) if e.get("op", "").startswith("oid ADD")), {})
        fields = {f["name"]: f["value"] for f in add.get("request_fields", [])}
        check(any(n.endswith("SecAssoc[0].Spi") and int(v, 0) == spi for n, v in fields.items()),
              f"decoded ADD request: {sorted(fields)[:20]}")
        check(not any(cols[5][2:].lower() in v.lower() for v in fields.values()), "decoded request fields carry no key")
        recv = [e for e in icv.get("evidence", []) if e.get("packets")]
        oob = recv[-1]["packets"][0] if recv else {}
        dev = {f["name"]: f["value"] for f in oob.get("device", {}).get("oob", [])}
        orc = {f["name"]: f["value"] for f in oob.get("oracle", {}).get("oob", [])}
        check("CryptoStatus" in dev and dev.get("CryptoStatus") != orc.get("CryptoStatus"),
              f"decoded OOB words: device {dev}, oracle {orc}")

# A capture's verification in the same results model: results.json, JUnit and HTML from
# `vectors verify --results`; a packet damaged on the way is a finding of its SA's case.
side = os.path.join(ROOT, "vectors", "generated", "esn-wrap-gcm.json")
pcap = os.path.join(ROOT, "vectors", "generated", "esn-wrap-gcm.pcap")
p = run("vectors", "verify", pcap, "--sa", side, "--results", out("capture_ok"), expect=0)
validate(out("capture_ok/results.json"))
cres = json.load(open(out("capture_ok/results.json")))
check(cres["summary"]["total"] >= 1 and cres["summary"]["pass"] == cres["summary"]["total"], f"clean capture: {cres['summary']}")
check(all(c["id"].startswith("capture.esn-wrap-gcm.") for c in cres["cases"]), "capture case ids")
check(os.path.exists(out("capture_ok/report.html")) and os.path.exists(out("capture_ok/junit.xml")), "capture views")
data = bytearray(open(pcap, "rb").read())
at, index, damaged_index = 24, 0, 2
while at + 16 <= len(data):
    caplen = int.from_bytes(data[at + 8:at + 12], "little")
    if index == damaged_index:
        data[at + 16 + caplen - 1] ^= 0x01  # the last ICV byte
        break
    at, index = at + 16 + caplen, index + 1
bad_pcap = out("esn-wrap-gcm-damaged.pcap")
open(bad_pcap, "wb").write(bytes(data))
p = run("vectors", "verify", bad_pcap, "--sa", side, "--results", out("capture_bad"), expect=1)
validate(out("capture_bad/results.json"))
bres = json.load(open(out("capture_bad/results.json")))
failing_capture = [c for c in bres["cases"] if c["verdict"] == "FAIL"]
check(len(failing_capture) == 1 and failing_capture[0]["findings"][0]["step"] == f"packet[{damaged_index}]" and
      failing_capture[0]["findings"][0]["actual"].startswith("bad-icv") and failing_capture[0]["findings"][0]["requirements"],
      f"damaged capture findings: {failing_capture}")
if failing_capture:
    cmd = failing_capture[0].get("reproduce", "")
    check(cmd == "ipsec-cts vectors verify esn-wrap-gcm-damaged.pcap --sa esn-wrap-gcm.json", f"capture reproduce: {cmd!r}")
    junit = open(out("capture_bad/junit.xml"), encoding="utf-8").read()
    check("<failure" in junit and "Reproduce: " + cmd in junit, "capture failure in JUnit")
    html = open(out("capture_bad/report.html"), encoding="utf-8").read()
    check(failing_capture[0]["id"] in html and "packet[2]" in html and html_escape(cmd) in html, "capture failure in the HTML")
no_machine_paths(out("capture_bad"))

# Expectations: the failures expected -> exit 0; a stale entry reported; waivers in the report.
exp = {"schema_version": 1, "expectations": [
    {"case": "recv.oob.*", "verdict": "FAIL", "reason": "mutant answers a wrong CryptoStatus", "link": "https://example.invalid/1"},
    {"case": "addsa.*", "verdict": "FAIL", "reason": "stale on purpose"}]}
json.dump(exp, open(out("waivers.json"), "w"))
p = run("run", "--dut", f"plugin:{MUTANT}", "--seed", "3", "--filter", "recv.oob.*", "--expectations", out("waivers.json"),
        "--out", out("waived"), expect=0)
check("stale expectation: addsa.*" in p.stdout, f"stale expectation report: {p.stdout}")
validate(out("waived/results.json"))
html = open(out("waived/report.html"), encoding="utf-8").read()
check('id="waivers"' in html and "mutant answers a wrong CryptoStatus" in html, "waivers shown with reasons")
# An expectation file without a reason is unusable input.
json.dump({"schema_version": 1, "expectations": [{"case": "x", "verdict": "FAIL"}]}, open(out("noreason.json"), "w"))
p = run("run", "--dut", "oracle", "--filter", "recv.oob.*", "--expectations", out("noreason.json"), "--out", out("nr"), expect=2)
check("a reason is required" in p.stderr, f"missing reason: {p.stderr}")

# --rerun-failed runs exactly the failing cases, with the earlier seed.
p = run("run", "--dut", f"plugin:{MUTANT}", "--rerun-failed", out("mutant/results.json"), "--out", out("rerun"), expect=1)
rres = json.load(open(out("rerun/results.json")))
check(sorted(c["id"] for c in rres["cases"]) == failing, "rerun-failed ran exactly the failing cases")
check(rres["run"]["seed"] == 3 and rres["run"]["rerun_of"] == "results.json", "rerun seed and origin")
validate(out("rerun/results.json"))

# report diff: clean -> mutant is a regression (exit 1); mutant -> clean only fixes (exit 0).
p = run("report", "diff", out("clean/results.json"), out("mutant/results.json"), "--json", out("diff.json"), expect=1)
d = json.load(open(out("diff.json")))
check([r["id"] for r in d["regressions"]] == failing, f"diff regressions {d['regressions']}")
run("report", "diff", out("mutant/results.json"), out("clean/results.json"), expect=0)

# report validate rejects a damaged file (exit 1) and an unreadable one (exit 2).
damaged = json.load(open(out("mutant/results.json")))
damaged["cases"][0]["file"] = "/home/someone/cases/x.json"
json.dump(damaged, open(out("damaged.json"), "w"))
run("report", "validate", out("damaged.json"), expect=1)
open(out("torn.json"), "w").write('{"schema_version": 1, "cases": [')
run("report", "validate", out("torn.json"), expect=2)

# package and verify; a tampered package fails verification.
run("report", "package", out("mutant/results.json"), "-o", out("mutant.tar.gz"), expect=0)
p = run("report", "verify", out("mutant.tar.gz"), expect=0)
with tarfile.open(out("mutant.tar.gz")) as t:
    names = t.getnames()
check(any(n.endswith("manifest.json") for n in names) and any(n.endswith("SHA256SUMS") for n in names), f"package {names}")
tamper = out("tamper")
os.makedirs(tamper)
with tarfile.open(out("mutant.tar.gz")) as t:
    t.extractall(tamper)
with open(os.path.join(tamper, "report.html"), "a") as f:
    f.write("<!-- edited -->")
with tarfile.open(out("tampered.tar.gz"), "w:gz") as t:
    t.add(tamper, arcname=".")
p = run("report", "verify", out("tampered.tar.gz"), expect=1)
check("report.html: SHA-256 differs" in p.stderr, f"tamper message: {p.stderr}")
# The package holds every evidence file results.json names, the suite's revision and the case-set
# hash, and no path of this machine.
manifest = json.load(open(os.path.join(tamper, "manifest.json")))
mres = json.load(open(out("mutant/results.json")))
evidence = {a["path"] for c in mres["cases"] for a in c.get("artifacts", [])}
check(evidence and evidence <= set(manifest["files"]), f"package lacks evidence: {sorted(evidence - set(manifest['files']))[:3]}")
check(manifest["case_set_sha256"] == mres["run"]["case_set_sha256"] and manifest["suite"]["revision"] == mres["run"].get("revision", manifest["suite"]["revision"]),
      f"package manifest: {manifest['suite']}, {manifest['case_set_sha256']}")
no_machine_paths(tamper)


def repack(name, edit):
    folder = out(name)
    shutil.rmtree(folder, ignore_errors=True)
    with tarfile.open(out("mutant.tar.gz")) as t:
        t.extractall(folder)
    edit(folder)
    with tarfile.open(out(name + ".tar.gz"), "w:gz") as t:
        t.add(folder, arcname=".")
    return run("report", "verify", out(name + ".tar.gz"), expect=1)


# A link in the package (it would make verify read a file of this machine), a manifest naming a
# path outside the package, and a SHA256SUMS that disagrees with the manifest all fail verify.
def link_results(folder):
    os.remove(os.path.join(folder, "junit.xml"))
    os.symlink("/etc/hostname", os.path.join(folder, "junit.xml"))


p = repack("linked", link_results)
check("junit.xml: not a regular file" in p.stderr, f"link message: {p.stderr}")


def escape_manifest(folder):
    m = json.load(open(os.path.join(folder, "manifest.json")))
    m["files"]["../../etc/hostname"] = {"sha256": "0" * 64, "bytes": 1}
    json.dump(m, open(os.path.join(folder, "manifest.json"), "w"))


p = repack("escaping", escape_manifest)
check("a path outside the package" in p.stderr, f"escaping manifest message: {p.stderr}")


def edit_sums(folder):
    with open(os.path.join(folder, "SHA256SUMS"), "a") as f:
        f.write("0" * 64 + "  extra.txt\n")


p = repack("sums", edit_sums)
check("SHA256SUMS does not match manifest.json" in p.stderr, f"SHA256SUMS message: {p.stderr}")

# A plugin that crashes without --isolate: the journal is flushed, the message names the case.
p = subprocess.run([EXE, "run", "--dut", f"plugin:{CRASH}", "--seed", "11", "--filter", "addsa.*", "--filter", "updsa.*",
                    "--out", out("crash")], capture_output=True, text=True, env=dict(os.environ, CI="true"))
check(p.returncode != 0 and "while case updsa." in p.stderr and "--isolate" in p.stderr and "--resume" in p.stderr,
      f"crash note: exit {p.returncode}: {p.stderr[-600:]}")
journal = out("crash/results.partial.jsonl")
lines = [l for l in open(journal).read().split("\n") if l.strip()] if os.path.exists(journal) else []
check(len(lines) > 10 and all(json.loads(l) for l in lines), f"journal after the crash holds {len(lines)} line(s)")

# A device that keeps failing stops the run at --max-consecutive-errors: exit 1, PARTIAL RUN.
p = run("run", "--dut", f"plugin:{CRASH}", "--isolate", "--max-consecutive-errors", "2", "--seed", "11",
        "--filter", "updsa.*", "--timeout-ms", "3000", "--out", out("maxerr"), expect=1)
mx = json.load(open(out("maxerr/results.json")))
check(mx["summary"]["total"] == 2 and "consecutive ERRORs" in mx["run"].get("stopped", ""), f"max errors: {mx['run'].get('stopped')}")
check("stopped early" in open(out("maxerr/report.html"), encoding="utf-8").read(), "the banner says the run stopped early")
validate(out("maxerr/results.json"))

if FAILED:
    print("\n\n".join(FAILED))
    sys.exit(1)
print("results tooling: exit codes, expectations, rerun-failed, diff, validate, package/verify, relative paths: ok")
