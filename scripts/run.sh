#!/usr/bin/env bash
# The main job: build, then run the whole case library against the bundled sample device
# (softnic, as a plugin) and the oracle side by side. Ends with the path of the report.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/build.sh" >/dev/null
out="${OUT:-$root/out/softnic}"
status=0
"$root/build/bin/ipsec-cts" run --dut softnic --cases "$root/cases" --out "$out" "$@" || status=$?
echo "$out/report.html"
exit $status
