#!/usr/bin/env bash
# The sanitizer and fuzz stage: one clang build folder, build-san/, every library compiled once
# with ASan + UBSan (errors fatal) and libFuzzer coverage, shared by the fuzz targets and the
# sanitizer unit tests.
#   scripts/sanitize.sh [ci|full] [FUZZ_SECONDS]
#   ci   (what scripts/test.sh runs): the unit tests labelled "oracle" (oracle/: ndis, crypto, sa,
#        esp, the oracle device) under the sanitizers, then fuzz/run.sh: every committed
#        regression input replayed and each fuzz target fuzzed FUZZ_SECONDS (default 10) s.
#        The unit tests of runner/ are left to `full` for time (a cold clang build of their test
#        files costs more than the whole stage's budget); runner/'s parsers still run
#        instrumented here, through the fuzz targets.
#   full: the unit tests labelled "oracle" and "runner", then the fuzz targets (default 20 s).
# -O0 -g0: half the compile time of -O1 on a cold machine; ASan and UBSan catch the same faults.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scope="${1:-ci}"
case "$scope" in
  ci) seconds="${2:-10}"; labels='^oracle$' ;;
  full) seconds="${2:-20}"; labels='^(oracle|runner)$' ;;
  *) echo "usage: scripts/sanitize.sh [ci|full] [FUZZ_SECONDS]" >&2; exit 2 ;;
esac
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_C_FLAGS="-O0 -g0" \
  -DCMAKE_CXX_FLAGS="-O0 -g0" -DCMAKE_C_COMPILER=clang-14 \
  -DCMAKE_CXX_COMPILER=clang++-14 -DCTS_FUZZ=ON "${launcher[@]}" >/dev/null
tests=(cts_ndis_test cts_crypto_test cts_sa_test cts_esp_test cts_oracle_test)
if [ "$scope" = full ]; then
  # The runner's unit tests and what they start (fake devices, agents, softnic).
  tests+=(cts_json_test cts_results_test cts_dut_test cts_cases_test cts_core_test cts_vectors_test)
fi
started=$(date +%s)
cmake --build build-san -j "$(nproc)" --target "${tests[@]}" fuzz_targets
built=$(date +%s)
# handle_segv/handle_sigbus=0: the guard-page and mapping handlers of runner/ are under test, and a
# device that crashes must die by its own signal.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:handle_segv=0:handle_sigbus=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
ctest --test-dir build-san -L "$labels" -j "$(nproc)" --output-on-failure --timeout 300 \
  >build-san/sanitize-tests.log 2>&1 || status=$?
grep -E "tests passed|tests failed|Total Test time" build-san/sanitize-tests.log || true
if [ "$status" != 0 ]; then
  grep -E "\*\*\*|Failed|ERROR: AddressSanitizer|runtime error" build-san/sanitize-tests.log | head -n 40
  echo "sanitize: unit tests failed under ASan/UBSan; full log: build-san/sanitize-tests.log"
  exit 1
fi
tested=$(date +%s)
"$root/fuzz/run.sh" build-san "$seconds"
echo "sanitize ($scope): build $((built - started)) s, unit tests $((tested - built)) s," \
  "fuzzing $(($(date +%s) - tested)) s"
