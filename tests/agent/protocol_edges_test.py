#!/usr/bin/python3
"""Two rules of docs/process-protocol.md that every agent and the runner must keep, checked on
the C++ agent (softnic-agent) and the Python reference agent alike:

  * request ids (section 3.1): an unsigned integer id is repeated exactly; any other id (a
    string, a negative number, a fraction, true, an object) is answered with "id": null;
  * the network (section 6): an agent's --listen and the runner's tcp:HOST:PORT stay on
    loopback; a non-loopback address is refused with exit 2 naming the flag that allows it
    (--allow-remote, --allow-remote-device), and allowed with that flag.

usage: protocol_edges_test.py IPSEC_CTS SOFTNIC_AGENT PY_AGENT_SCRIPT SOFTNIC_PLUGIN
"""
import json
import os
import subprocess
import sys

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "cases")

UNUSABLE = ['"7"', "-1", "1.5", "true", '{"n":1}', "[1]", "1e2", "18446744073709551616"]
USABLE = ["0", "42", "18446744073709551615"]

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL", what)


def ask_all(agent, lines):
    """Sends every line to a stdio agent; returns its answers, parsed."""
    run = subprocess.run(agent, input="".join(line + "\n" for line in lines), text=True,
                         capture_output=True, timeout=60)
    answers = [json.loads(a) for a in run.stdout.splitlines() if a.strip()]
    check(len(answers) == len(lines), f"{agent[0]}: {len(answers)} answers to {len(lines)} lines "
          f"(stderr: {run.stderr[-500:]})")
    return answers


def check_ids(name, agent):
    cases = [(f'{{"id":{i},"op":"reset"}}', None) for i in UNUSABLE]
    cases += [('{"id":"x"}', None), ('{"op":"reset"}', None)]
    cases += [(f'{{"id":{i},"op":"reset"}}', int(i)) for i in USABLE]  # before hello
    cases += [(f'{{"id":{i}}}', int(i)) for i in USABLE]               # no op: id kept
    lines = [line for line, _ in cases]
    answers = ask_all(agent, lines)
    for (line, expected), answer in zip(cases, answers):
        check(answer.get("id") == expected and answer.get("ok") is False
              and answer.get("error", {}).get("kind") == "protocol_error",
              f"{name}: {line} answered {json.dumps(answer)}; expected id {json.dumps(expected)}")


def check_listen(name, agent):
    refused = subprocess.run(agent + ["--listen", "0.0.0.0:0"], capture_output=True, text=True,
                             timeout=30)
    check(refused.returncode == 2 and "--allow-remote" in refused.stderr
          and "0.0.0.0" in refused.stderr,
          f"{name}: --listen 0.0.0.0:0 gave exit {refused.returncode}, stderr {refused.stderr!r}")
    server = subprocess.Popen(agent + ["--listen", "0.0.0.0:0", "--allow-remote"],
                              stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline().strip()
        check(line.startswith("listening on 0.0.0.0:"),
              f"{name}: --listen 0.0.0.0:0 --allow-remote announced {line!r}")
    finally:
        server.kill()
        server.wait()
    server = subprocess.Popen(agent + ["--listen", "0"], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline().strip()
        check(line.startswith("listening on 127.0.0.1:"), f"{name}: --listen 0 announced {line!r}")
    finally:
        server.kill()
        server.wait()


def check_runner(cts):
    # 192.0.2.1 (TEST-NET-1) is refused before any packet is sent: no timeout is paid.
    for command in (["run", "--dut", "tcp:192.0.2.1:7000", "--cases", CASES, "--filter", "caps.*",
                     "--out", "/tmp/cts-protocol-edges-out"],
                    ["agent-check", "tcp:192.0.2.1:7000"]):
        refused = subprocess.run([cts] + command, capture_output=True, text=True, timeout=60)
        output = refused.stdout + refused.stderr
        check(refused.returncode == 2 and "--allow-remote-device" in output
              and "192.0.2.1" in output and "not a loopback address" in output,
              f"ipsec-cts {command[0]} tcp:192.0.2.1: exit {refused.returncode}, {output[-400:]!r}")
        allowed = subprocess.run([cts] + command[:3] + ["--allow-remote-device", "--timeout-ms",
                                                        "300"] + command[3:],
                                 capture_output=True, text=True, timeout=60)
        output = allowed.stdout + allowed.stderr
        check(allowed.returncode != 0 and "not a loopback address" not in output
              and "192.0.2.1" in output,
              f"ipsec-cts {command[0]} --allow-remote-device: it must try to connect and fail: "
              f"exit {allowed.returncode}, {output[-400:]!r}")


def main():
    cts, softnic_agent, py_script, plugin = sys.argv[1:5]
    agents = {"softnic-agent": [softnic_agent],
              "ipsec_cts_agent.py": ["/usr/bin/python3", py_script, "--plugin", plugin]}
    for name, agent in agents.items():
        check_ids(name, agent)
        check_listen(name, agent)
    check_runner(cts)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
