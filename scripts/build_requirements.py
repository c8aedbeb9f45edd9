#!/usr/bin/python3
"""Builds cases/requirements.json from the requirement catalogues of the specifications.

The catalogues are the numbered tables at the end of spec/ndis-ipsecov2.md (section 7),
spec/esp-datapath.md (section 15) and spec/ah-datapath.md (section 16). Every table row whose
first cell is an ID such as ADD-006 or ESN-003 becomes one entry with its text, strength and
source. The output is canonical (sorted keys and IDs, two-space indent, trailing newline) so a
rebuild that changes nothing changes no byte.

Usage:
  scripts/build_requirements.py [--spec-dir DIR] [--out FILE]   # write cases/requirements.json
  scripts/build_requirements.py --check [--spec-dir DIR] [--out FILE]  # exit 1 if out of date
"""
import argparse
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SPEC_DIR = os.path.join(os.path.dirname(ROOT), "shared", "spec")
DEFAULT_OUT = os.path.join(ROOT, "cases", "requirements.json")

# (file, heading that starts the catalogue, column order of its tables)
CATALOGUES = [
    ("ndis-ipsecov2.md", "## 7. Requirement catalogue", ("id", "text", "strength", "source")),
    ("esp-datapath.md", "## 15. Requirement catalogue", ("id", "strength", "text", "source")),
    ("ah-datapath.md", "## 16. Requirement catalogue", ("id", "strength", "text", "source")),
]

ID_RE = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]{3}$")


def split_row(line):
    # Table cells are separated by '|'; a cell never contains an unescaped '|' in these files.
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return cells


def parse_catalogue(path, heading, columns):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.strip() == heading)
    except StopIteration:
        raise SystemExit(f"{path}: heading '{heading}' not found")
    entries = {}
    for number, line in enumerate(lines[start + 1:], start + 2):
        if line.startswith("## "):
            break  # next top-level section ends the catalogue
        if not line.startswith("|"):
            continue
        cells = split_row(line)
        if len(cells) < len(columns) or not ID_RE.match(cells[0]):
            continue
        row = dict(zip(columns, cells))
        rid = row["id"]
        if rid in entries:
            raise SystemExit(f"{path}:{number}: duplicate requirement {rid}")
        entries[rid] = {
            "text": row["text"],
            "strength": row["strength"],
            "source": row["source"],
            "document": os.path.basename(path),
        }
    if not entries:
        raise SystemExit(f"{path}: no requirement rows under '{heading}'")
    return entries


def build(spec_dir):
    requirements = {}
    documents = []
    for name, heading, columns in CATALOGUES:
        path = os.path.join(spec_dir, name)
        entries = parse_catalogue(path, heading, columns)
        for rid, entry in entries.items():
            if rid in requirements:
                raise SystemExit(f"{path}: requirement {rid} also defined in "
                                 f"{requirements[rid]['document']}")
            requirements[rid] = entry
        documents.append({"file": "spec/" + name, "catalogue": heading.lstrip("# ").strip(),
                          "count": len(entries)})
    return {
        "schema_version": 1,
        "provenance": "Built by scripts/build_requirements.py from the requirement catalogues of "
                      "the specification documents listed in 'documents'. Do not edit by hand; "
                      "rebuild and commit.",
        "documents": documents,
        "requirements": dict(sorted(requirements.items())),
    }


def render(doc):
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec-dir", default=DEFAULT_SPEC_DIR)
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed file instead of writing it")
    args = parser.parse_args()
    text = render(build(args.spec_dir))
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = ""
        if current != text:
            print(f"{args.out} is out of date with {args.spec_dir}; run "
                  f"scripts/build_requirements.py", file=sys.stderr)
            return 1
        count = len(json.loads(text)["requirements"])
        print(f"{args.out}: in sync ({count} requirements)")
        return 0
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
