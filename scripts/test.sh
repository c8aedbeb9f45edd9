#!/usr/bin/env bash
# Runs every test: installs what is missing, builds from scratch into build/, then CTest
# (unit tests, case lint, the suite against every bundled device, vector cross-checks).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/build.sh"
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 600
