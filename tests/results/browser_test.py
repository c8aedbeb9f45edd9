#!/usr/bin/python3
"""Opens generated reports in headless Chromium (Debian's chromium + chromium-driver, driven over
the WebDriver protocol with the standard library only) and checks what a reader sees: no console
errors, the verdict counts on the page equal results.json, the banner (CONFORMANT / NOT
CONFORMANT / PARTIAL RUN) is the right one, filtering the case table by verdict and by
requirement id works, and a failing case's evidence expands. Keeps a screenshot of each report.

usage: browser_test.py IPSEC_CTS SOFTNIC_PLUGIN MUTANT_PLUGIN WORK_DIR
Writes three reports (the whole library on softnic: CONFORMANT; the whole library on a mutant:
NOT CONFORMANT; a filtered run: PARTIAL RUN) under WORK_DIR and the screenshots to
WORK_DIR/screenshots. If the browser or its driver is missing or cannot start, the test fails and
says so.
"""
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

EXE, SOFTNIC, MUTANT, WORK = sys.argv[1:5]
SHOTS = os.path.join(WORK, "screenshots")
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
REPORTS = [("conformant", os.path.join(WORK, "conformant"), "CONFORMANT", ["--dut", f"plugin:{SOFTNIC}"]),
           ("failing", os.path.join(WORK, "failing"), "NOT CONFORMANT", ["--dut", f"plugin:{MUTANT}", "--show-keys"]),
           ("partial", os.path.join(WORK, "partial"), "PARTIAL RUN",
            ["--dut", f"plugin:{MUTANT}", "--filter", "recv.*", "--filter", "addsa.*", "--show-keys"])]
for name, folder, _, args in REPORTS:
    start = time.monotonic()
    r = subprocess.run([EXE, "run", *args, "--seed", "99", "--out", folder], capture_output=True, text=True,
                       env=dict(os.environ, CI="true"))
    if r.returncode not in (0, 1):
        print(f"{name}: run exit {r.returncode}\n{r.stderr}")
        sys.exit(1)
    print(f"{name}: run + views {time.monotonic() - start:.2f} s")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
problems = []

for tool in (CHROMIUM, DRIVER):
    if not os.access(tool, os.X_OK):
        print(f"FAIL: {tool} is not installed: install the Debian packages chromium and chromium-driver "
              "(scripts/setup.sh does); the browser test cannot pass without a browser")
        sys.exit(1)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


PORT = free_port()
driver = subprocess.Popen([DRIVER, f"--port={PORT}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
BASE = f"http://127.0.0.1:{PORT}"


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())["value"]


def wait_driver():
    for _ in range(100):
        try:
            call("GET", "/status")
            return True
        except Exception:
            time.sleep(0.1)
    return False


try:
    if not wait_driver():
        print("FAIL: chromedriver did not start")
        sys.exit(1)
    caps = {"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": CHROMIUM,
                               "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                        "--window-size=1280,2000"]},
        "goog:loggingPrefs": {"browser": "ALL"}}}}
    try:
        session = call("POST", "/session", caps)["sessionId"]
    except Exception as e:
        print(f"FAIL: headless Chromium does not start under chromedriver: {e}")
        sys.exit(1)
    S = f"/session/{session}"

    def js(script, *args):
        return call("POST", S + "/execute/sync", {"script": script, "args": list(args)})

    os.makedirs(SHOTS, exist_ok=True)
    for name, folder, expected_banner, _ in REPORTS:
        results = json.load(open(os.path.join(folder, "results.json"), encoding="utf-8"))
        page = "file://" + os.path.abspath(os.path.join(folder, "report.html"))
        start = time.monotonic()
        call("POST", S + "/url", {"url": page})
        load_ms = js("var t = performance.getEntriesByType('navigation')[0];"
                     "return t ? t.loadEventEnd - t.startTime : -1;")
        wall_ms = (time.monotonic() - start) * 1000
        size = os.path.getsize(os.path.join(folder, "report.html"))
        print(f"{name}: report.html {size / 1024:.0f} KiB, {len(results['cases'])} cases, load {load_ms:.0f} ms "
              f"(navigation timing), {wall_ms:.0f} ms wall")
        # Console errors (the driver keeps the browser log).
        try:
            log = call("POST", S + "/se/log", {"type": "browser"})
        except Exception:
            log = call("POST", S + "/log", {"type": "browser"})
        errors = [e["message"] for e in log if e.get("level") == "SEVERE"]
        if errors:
            problems.append(f"{name}: console errors: {errors[:5]}")
        # Banner.
        banner = js("var b = document.querySelector('[data-banner]'); return b ? b.getAttribute('data-banner') : null;")
        if banner != expected_banner:
            problems.append(f"{name}: banner {banner!r}, expected {expected_banner!r}")
        # Counts on the page (summary tiles) against results.json.
        tiles = js("var out = {}; document.querySelectorAll('#summary .tile').forEach(function (t) {"
                   " out[t.classList[1]] = parseInt(t.querySelector('.n').textContent, 10); }); return out;")
        summary = results["summary"]
        for key in ("total", "pass", "fail", "error", "not_applicable"):
            if tiles.get(key) != summary[key]:
                problems.append(f"{name}: tile {key} shows {tiles.get(key)}, results.json says {summary[key]}")
        rows = js("return document.querySelectorAll('#case-table tbody tr[data-status]').length;")
        if rows != summary["total"]:
            problems.append(f"{name}: case table has {rows} rows, results.json {summary['total']} cases")
        # Passing and not-applicable cases open collapsed: no such row shows, every failing one does,
        # each file's head row (its tally) stays, and ticking PASS lists the passing ones.
        collapsed = js("""
          var shown = {}, heads = 0, allHeads = 0;
          document.querySelectorAll('#case-table tbody tr[data-status]').forEach(function (r) {
            if (r.getBoundingClientRect().height > 0) shown[r.getAttribute('data-status')] =
                (shown[r.getAttribute('data-status')] || 0) + 1; });
          document.querySelectorAll('#case-table tbody tr.group').forEach(function (r) {
            allHeads++; if (r.getBoundingClientRect().height > 0) heads++; });
          var bar = document.querySelector('.filter-bar[data-target=case-table]');
          var pass = bar.querySelector('input[value=pass]');
          pass.checked = true; pass.dispatchEvent(new Event('change', {bubbles: true}));
          var passing = 0;
          document.querySelectorAll('#case-table tbody tr[data-status=pass]').forEach(function (r) {
            if (r.getBoundingClientRect().height > 0) passing++; });
          bar.querySelectorAll('input[type=checkbox]').forEach(function (b) {
            b.checked = true; b.dispatchEvent(new Event('change', {bubbles: true})); });
          return {shown: shown, heads: heads, allHeads: allHeads, passing: passing};""")
        if collapsed["shown"].get("pass") or collapsed["shown"].get("not_applicable"):
            problems.append(f"{name}: passing or not-applicable rows show on opening: {collapsed['shown']}")
        if collapsed["shown"].get("fail", 0) != summary["fail"] or collapsed["heads"] != collapsed["allHeads"]:
            problems.append(f"{name}: collapsed table shows {collapsed}, expected every FAIL row and every file's tally")
        if collapsed["passing"] != summary["pass"]:
            problems.append(f"{name}: ticking PASS lists {collapsed['passing']} rows for {summary['pass']} PASS")
        # Filter by verdict: only failing rows stay visible.
        visible = js("""
          var bar = document.querySelector('.filter-bar[data-target=case-table]');
          bar.querySelectorAll('input[type=checkbox]').forEach(function (b) {
            b.checked = (b.value === 'fail'); b.dispatchEvent(new Event('change', {bubbles: true})); });
          var shown = [];
          document.querySelectorAll('#case-table tbody tr[data-status]').forEach(function (r) {
            if (!r.hidden) shown.push(r.getAttribute('data-status')); });
          bar.querySelectorAll('input[type=checkbox]').forEach(function (b) {
            b.checked = true; b.dispatchEvent(new Event('change', {bubbles: true})); });
          return shown;""")
        if len(visible) != summary["fail"] or any(s != "fail" for s in visible):
            problems.append(f"{name}: verdict filter shows {len(visible)} rows for {summary['fail']} FAIL")
        # Filter by requirement id: the rows left are exactly the cases citing it.
        cited = {}
        for c in results["cases"]:
            reqs = set(c["requirements"]) | {r for f in c.get("findings", []) for r in f["requirements"]}
            for r in reqs:
                cited.setdefault(r, set()).add(c["id"])
        if cited:
            req = sorted(cited, key=lambda r: (-len(cited[r]), r))[len(cited) // 2]
            # A requirement id that is a prefix of another (ADD-1 / ADD-10) would match both in a text
            # search; count what the search should show by the same rule.
            expect = {c["id"] for c in results["cases"]
                      if req.lower() in " ".join([c["id"], *c["requirements"],
                                                  *[r for f in c.get("findings", []) for r in f["requirements"]]]).lower()}
            shown = js("""
              var bar = document.querySelector('.filter-bar[data-target=case-table]');
              var s = bar.querySelector('input[type=search]'); s.value = arguments[0];
              s.dispatchEvent(new Event('input', {bubbles: true}));
              var n = 0; document.querySelectorAll('#case-table tbody tr[data-status]').forEach(function (r) {
                if (!r.hidden) n++; });
              s.value = ''; s.dispatchEvent(new Event('input', {bubbles: true}));
              return n;""", req)
            if shown < len(cited[req]) or shown > len(expect) + len(cited[req]):
                problems.append(f"{name}: requirement filter {req} shows {shown} rows, {len(cited[req])} cases cite it")
        # A failing case's evidence expands.
        if summary["fail"]:
            opened = js("""
              var card = document.querySelector('#failures article.case-card.fail');
              if (!card) return 'no failing case card';
              var d = card.querySelector('details.step');
              if (!d) return 'no evidence';
              d.open = false; d.querySelector('summary').click();
              var body = d.querySelector('.step-body');
              return d.open && body && body.getBoundingClientRect().height > 0 ? 'open' : 'closed';""")
            if opened != "open":
                problems.append(f"{name}: failing evidence does not expand ({opened})")
        # The failing step of a datapath failure: its decoded fields on both sides with the differing
        # one marked and visible, and the links to the pcap of the exchange and its esp_sa table
        # (the files beside results.json).
        if summary["fail"]:
            seen = js("""
              var links = document.querySelectorAll('#failures article.case-card.fail a.artifact[href$=".pcap"]');
              if (!links.length) return {cards: 0};
              var card = links[0].closest('article.case-card');
              var step = card.querySelector('details.step.failing');
              if (step) step.open = true;
              var marked = step ? step.querySelectorAll('table.compare.packet tr.differs, table.compare.decoded tr.differs,'
                                                        + ' table.compare.answers tr.differs') : [];
              var visible = [];
              marked.forEach(function (m) { if (m.getBoundingClientRect().height > 0)
                visible.push(m.querySelector('th').textContent); });
              var keys = card.querySelector('a.artifact.secret[href$=".esp_sa"]');
              return {cards: links.length, id: card.id, visible: visible, pcap: links[0].getAttribute('href'),
                      esp_sa: keys ? keys.getAttribute('href') : null,
                      raw: !!(step && step.querySelector('details.raw code.hex'))};""")
            if not seen.get("cards"):
                problems.append(f"{name}: no failing case links a pcap of its exchange")
            else:
                if not seen["visible"]:
                    problems.append(f"{name}: {seen['id']}: no differing decoded field is marked and visible")
                if not seen["raw"]:
                    problems.append(f"{name}: {seen['id']}: the raw bytes are not one click away")
                for link in (seen["pcap"], seen["esp_sa"]):
                    if not link or not os.path.exists(os.path.join(folder, link)):
                        problems.append(f"{name}: {seen['id']}: evidence link {link!r} names no file beside the report")
                print(f"{name}: {seen['cards']} failing case(s) link a pcap; {seen['id']} marks {seen['visible'][:4]}")
        # The page as it opens again (the checks above opened steps and ticked boxes).
        call("POST", S + "/url", {"url": page})
        # What prints (the page under print media): the banner, the summary, the requirement
        # matrix and the failing cases; no passing or not-applicable row, no case list of a met
        # requirement, and of a failing case only the step its finding names opened.
        call("POST", S + "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}})
        printed = js("""
          function shows(e) { return e && getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0; }
          var out = {banner: shows(document.querySelector('[data-banner]')), summary: shows(document.getElementById('summary')),
                     matrix: shows(document.getElementById('coverage-table')), rows: {}, metLists: 0, openSteps: 0,
                     failingSteps: 0, cards: 0};
          document.querySelectorAll('#case-table tbody tr[data-status]').forEach(function (r) {
            if (shows(r)) out.rows[r.getAttribute('data-status')] = (out.rows[r.getAttribute('data-status')] || 0) + 1; });
          document.querySelectorAll('#coverage-table tr[data-status=met] .case-list').forEach(function (l) {
            if (shows(l)) out.metLists++; });
          document.querySelectorAll('#failures article.case-card').forEach(function (c) { if (shows(c)) out.cards++; });
          document.querySelectorAll('#failures details.step .step-body').forEach(function (b) {
            if (shows(b)) { out.openSteps++; if (b.closest('details.step').classList.contains('failing')) out.failingSteps++; } });
          // Of a failing step, only the differing rows of its tables and SA tables print.
          out.sameRows = 0; out.differingRows = 0;
          document.querySelectorAll('#failures details.step.failing table.compare tbody tr,'
                                    + ' #failures details.step.failing table.sa-table.compared tbody tr').forEach(function (r) {
            if (!shows(r)) return;
            if (r.classList.contains('differs')) out.differingRows++; else out.sameRows++; });
          return out;""")
        call("POST", S + "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia", "params": {"media": ""}})
        if not (printed["banner"] and printed["summary"] and printed["matrix"]):
            problems.append(f"{name}: print leaves out the banner, summary or requirement matrix: {printed}")
        if printed["rows"].get("pass") or printed["rows"].get("not_applicable"):
            problems.append(f"{name}: passing or not-applicable rows print: {printed['rows']}")
        if printed["metLists"]:
            problems.append(f"{name}: {printed['metLists']} met requirement(s) print their case lists")
        if printed["cards"] != summary["fail"] + summary["error"]:
            problems.append(f"{name}: {printed['cards']} case cards print for {summary['fail'] + summary['error']} failing")
        if printed["openSteps"] != printed["failingSteps"] and summary["error"] == 0:
            problems.append(f"{name}: {printed['openSteps'] - printed['failingSteps']} passing step(s) of failing cases print")
        if printed["sameRows"] or (summary["fail"] and not printed["differingRows"]):
            problems.append(f"{name}: a failing step prints {printed['sameRows']} agreeing and "
                            f"{printed['differingRows']} differing table rows (only the differing should print)")
        if summary["fail"]:
            # On screen every row of a failing step stays: the agreeing ones are shown, not dropped.
            screen = js("""
              var n = 0; document.querySelectorAll('#failures details.step.failing table.compare tbody tr:not(.differs)')
                .forEach(function (r) { if (getComputedStyle(r).display !== 'none') n++; }); return n;""")
            if not screen:
                problems.append(f"{name}: the agreeing rows of a failing step are not on the page")
        # Print length (A4, as Chromium prints it; the browser's own print-to-PDF, which the driver's
        # two minutes do not bound): a passing library in a few dozen pages (the matrix of 300
        # requirements), a failing one at most a page per failing case more (each card prints its
        # findings, the reproducing command and the differing rows of its failing step; measured:
        # conformant 30 pages, the whole library on the mutant 97 pages for 144 FAIL, the partial
        # run 69 pages for 40 FAIL: Chromium scales a page with wide tables down, so the partial
        # one prints larger).
        pdf_path = os.path.join(WORK, f"{name}.pdf")
        start = time.monotonic()
        try:
            subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", page],
                           capture_output=True, timeout=400)
            pdf = open(pdf_path, "rb").read()
            pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
            print(f"{name}: prints as {pages} page(s) in {time.monotonic() - start:.1f} s "
                  f"({len(results['cases'])} cases, {summary['fail']} FAIL)")
            limit = 40 + summary["fail"] + summary["error"]
            if pages > limit:
                problems.append(f"{name}: prints as {pages} pages, more than {limit}")
        except (OSError, subprocess.TimeoutExpired) as e:
            problems.append(f"{name}: print to PDF did not complete: {e}")
        shot = call("GET", S + "/screenshot")
        path = os.path.join(SHOTS, f"{name}.png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot))
        print(f"{name}: banner {banner}, counts match, screenshot {path}")
    call("DELETE", S)
finally:
    driver.terminate()
    driver.wait()

if problems:
    print("\n".join(problems))
    sys.exit(1)
print("browser: every report renders without console errors, counts and banners right, filters and evidence work")
