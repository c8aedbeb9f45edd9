#!/usr/bin/env python3
"""A hostile device on the process protocol: it serves a real agent (softnic-agent) and, once per
run, misbehaves in one chosen way instead of passing on one answer.

  hostile_agent.py MODE OP N MARKER -- AGENT [ARG...]

The N-th request with op OP is where it misbehaves, unless the file MARKER exists (it is created
then, so the fresh device the runner starts afterwards behaves). MODEs:
  crash        half an answer, then SIGSEGV            hang        never answers
  garbage      a line of binary garbage                partial     half an answer, then closes
  huge         a 100 MB line without end               close       closes its stdout, stays alive
  wrong_id     the answer with another request id      exit        exits with status 3
  long_buffer  an oid_set answer whose buffer is longer than the one sent
  bad_frame    a send answer whose frame is not hex
  handle_out_of_range  a dump answer naming a handle of 80 bits (handles are 64-bit words)
"""
import json
import os
import signal
import subprocess
import sys
import time


def main():
    mode, op, nth, marker = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    agent = sys.argv[sys.argv.index("--") + 1:]
    child = subprocess.Popen(agent, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    out = sys.stdout.buffer
    seen = 0
    for line in sys.stdin.buffer:
        request = json.loads(line)
        child.stdin.write(line)
        child.stdin.flush()
        answer = child.stdout.readline()
        if request.get("op") == op:
            seen += 1
        if seen != nth or request.get("op") != op or os.path.exists(marker):
            out.write(answer)
            out.flush()
            continue
        open(marker, "w").close()
        sys.stderr.write("hostile agent: %s on %s #%d\n" % (mode, op, nth))
        sys.stderr.flush()
        if mode == "crash":
            out.write(answer[: len(answer) // 2])
            out.flush()
            os.kill(os.getpid(), signal.SIGSEGV)
        elif mode == "hang":
            time.sleep(3600)
        elif mode == "garbage":
            out.write(b"\x00\xff\xfe garbage \x1b[31m not json\n")
        elif mode == "partial":
            out.write(answer[: len(answer) // 2])
            out.flush()
            os.close(1)
            time.sleep(3600)
        elif mode == "huge":
            chunk = b"x" * (1 << 20)
            for _ in range(100):
                out.write(chunk)
            out.write(b"\n")
        elif mode == "close":
            os.close(1)
            time.sleep(3600)
        elif mode == "wrong_id":
            a = json.loads(answer)
            a["id"] = a["id"] + 1000
            out.write(json.dumps(a).encode() + b"\n")
        elif mode == "exit":
            sys.exit(3)
        elif mode == "long_buffer":
            a = json.loads(answer)
            a["result"]["buffer"] += "00" * 64
            out.write(json.dumps(a).encode() + b"\n")
        elif mode == "handle_out_of_range":
            a = json.loads(answer)
            bundles = a["result"]["table"]["bundles"]
            if bundles:
                bundles[0]["handle"] = "0xffffffffffff" + bundles[0]["handle"][2:].rjust(8, "0")
            out.write(json.dumps(a).encode() + b"\n")
        elif mode == "bad_frame":
            a = json.loads(answer)
            a["result"]["frames"] = ["zz" * 40]
            out.write(json.dumps(a).encode() + b"\n")
        out.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
