#!/usr/bin/env python3
"""Derives seed inputs for the fuzz targets from the committed data (standard library only).

  make_seeds.py ROOT OUT
writes OUT/frames (every record of vectors/**/*.pcap as captured: Ethernet frames), OUT/datagrams
(the same without the link header: IP datagrams), OUT/decode (tests/data/ndis buffers behind
the selector octet of fuzz/decode_cli_fuzz.cpp, once per structure they may hold) and OUT/cases
(the first three cases of each file of cases/, each alone in a case file of its own: the
library's files run to 360 KB, far past the case_file_fuzz input limit, where a truncated file is
only ever a JSON syntax error; three per file keep the seeds' load within the CI stage's time)
and OUT/known_answers (each vector of vectors/known-answers/*.json alone in a file of its own, for
the same reason: the published file is twice known_answer_fuzz's input limit).
"""
import json
import os
import struct
import sys


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        return
    link = struct.unpack(order + "I", data[20:24])[0] & 0xFFFF
    at = 24
    while at + 16 <= len(data):
        caplen = struct.unpack(order + "I", data[at + 8:at + 12])[0]
        body = data[at + 16:at + 16 + caplen]
        if len(body) != caplen:
            return
        yield link, body
        at += 16 + caplen


def main():
    root, out = sys.argv[1], sys.argv[2]
    for sub in ("frames", "datagrams", "decode", "cases", "known_answers"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    n = 0
    for folder, _, files in os.walk(os.path.join(root, "vectors")):
        for name in sorted(files):
            if not name.endswith(".pcap"):
                continue
            for link, body in records(os.path.join(folder, name)):
                n += 1
                ip = body[14:] if link == 1 else body
                if link == 1:
                    with open(os.path.join(out, "frames", "%05d" % n), "wb") as f:
                        f.write(body)
                with open(os.path.join(out, "datagrams", "%05d" % n), "wb") as f:
                    f.write(ip)
    ndis = os.path.join(root, "tests", "data", "ndis")
    for name in sorted(os.listdir(ndis)):
        if not name.endswith(".bin"):
            continue
        with open(os.path.join(ndis, name), "rb") as f:
            body = f.read()
        abi = 0x8 if "x86" in name else 0
        for oid in range(5):
            with open(os.path.join(out, "decode", "%s.%d" % (name, oid)), "wb") as f:
                f.write(bytes([oid | abi]) + body)

    case_seeds(os.path.join(root, "cases"), os.path.join(out, "cases"))
    known_answer_seeds(os.path.join(root, "vectors", "known-answers"), os.path.join(out, "known_answers"))


def case_seeds(cases, out):
    for folder, _, files in os.walk(cases):
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(folder, name)) as f:
                doc = json.load(f)
            if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list):
                continue
            stem = os.path.relpath(os.path.join(folder, name), cases).replace(os.sep, "_")
            for i, case in enumerate(doc["cases"][:3]):
                one = dict(doc, cases=[case])
                with open(os.path.join(out, "%s.%03d" % (stem, i)), "w") as f:
                    json.dump(one, f, separators=(",", ":"))


def known_answer_seeds(folder, out):
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name)) as f:
            doc = json.load(f)
        if not isinstance(doc, dict) or not isinstance(doc.get("vectors"), list):
            continue
        for i, vector in enumerate(doc["vectors"]):
            one = dict(doc, vectors=[vector])
            if "count" in one:
                one["count"] = 1
            with open(os.path.join(out, "%s.%03d" % (name, i)), "w") as f:
                json.dump(one, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
