#!/usr/bin/env bash
# Runs every test: installs what is missing, builds from scratch into build/, then CTest
# (unit tests, case lint, the suite against every bundled device, vector cross-checks), then the
# sanitizer and fuzz stage (scripts/sanitize.sh ci: a clang ASan + UBSan build in build-san/, the
# oracle's unit tests under it, every committed fuzz regression input, each fuzz target 10 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
started=$(date +%s)
"$root/scripts/build.sh"
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 600
tested=$(date +%s)
"$root/scripts/sanitize.sh" ci "${CTS_FUZZ_SECONDS:-10}"
echo "test.sh: build and tests $((tested - started)) s, sanitizer and fuzz stage" \
  "$(($(date +%s) - tested)) s, total $(($(date +%s) - started)) s"
