#!/usr/bin/env bash
# The sanitizer and fuzz stage of scripts/test.sh: one clang build folder, build-san/, with every
# library compiled with ASan + UBSan (errors fatal) and libFuzzer coverage instrumentation.
#   1. the unit tests of oracle/ and runner/ (CTest labels "oracle" and "runner") under the
#      sanitizers;
#   2. fuzz/run.sh: every committed regression input replayed, then each fuzz target for
#      FUZZ_SECONDS (default 20) seconds, two at a time.
# Usage: scripts/sanitize.sh [FUZZ_SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${1:-20}"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# -O1 with line tables: quick to compile, readable sanitizer reports.
cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_C_FLAGS="-O1 -gline-tables-only" \
  -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DCMAKE_C_COMPILER=clang-14 \
  -DCMAKE_CXX_COMPILER=clang++-14 -DCTS_FUZZ=ON "${launcher[@]}" >/dev/null
# The unit-test executables of the two layers (and what they start: fake devices, agents,
# softnic), and the fuzz targets; nothing else of the tree.
tests=(cts_ndis_test cts_crypto_test cts_sa_test cts_esp_test cts_oracle_test
       cts_json_test cts_results_test cts_dut_test cts_cases_test cts_core_test cts_vectors_test)
cmake --build build-san -j "$(nproc)" --target "${tests[@]}" fuzz_targets
# handle_segv/handle_sigbus=0: the guard-page and mapping handlers of runner/ are under test, and a
# device that crashes must die by its own signal.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:handle_segv=0:handle_sigbus=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-san -L '^(oracle|runner)$' -j "$(nproc)" --output-on-failure --timeout 300
"$root/fuzz/run.sh" build-san "$seconds"
