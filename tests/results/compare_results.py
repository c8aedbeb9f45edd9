"""Equality of two results documents apart from what legitimately differs between two runs of the
same seed: timing, host, revision, and how the run was split (shards, resume)."""
import json

RUN_VOLATILE = ("started_at", "ended_at", "duration_ms", "host", "revision", "shard", "merged_shards")


def normalized(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    for key in RUN_VOLATILE:
        doc["run"].pop(key, None)
    for c in doc["cases"]:
        c.pop("duration_ms", None)
        # An ACCEPTABLE case keeps its evidence (which alternative the device took); the handles
        # in it are the device's and depend on what it ran before, so a split run shows others.
        # The verdict and the accepted alternatives are still compared.
        if c.get("verdict") == "ACCEPTABLE":
            c.pop("evidence", None)
    return doc


def differences(a_path, b_path, limit=5):
    a, b = normalized(a_path), normalized(b_path)
    out = []
    if a["run"] != b["run"]:
        keys = sorted(set(a["run"]) | set(b["run"]))
        out += [f"run.{k}: {a['run'].get(k)!r:.200} != {b['run'].get(k)!r:.200}" for k in keys if a["run"].get(k) != b["run"].get(k)]
    if a["summary"] != b["summary"]:
        out.append(f"summary {a['summary']} != {b['summary']}")
    ca = {c["id"]: c for c in a["cases"]}
    cb = {c["id"]: c for c in b["cases"]}
    if set(ca) != set(cb):
        out.append(f"case ids differ: only in first {sorted(set(ca) - set(cb))[:limit]}, only in second {sorted(set(cb) - set(ca))[:limit]}")
    for cid in sorted(set(ca) & set(cb)):
        if ca[cid] != cb[cid]:
            out.append(f"case {cid} differs: {json.dumps(ca[cid])[:300]} != {json.dumps(cb[cid])[:300]}")
            if len(out) >= limit:
                break
    return out
