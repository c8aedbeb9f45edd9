#!/usr/bin/env bash
# The long local fuzzing run (not part of scripts/test.sh): one target at a time at the lowest
# priority, each until it has executed RUNS inputs or spent SECONDS, from its seeds, the committed
# regression inputs and whatever corpus an earlier run left in WORK.
#   nice -n 19 fuzz/long_run.sh BUILD_DIR RUNS SECONDS [TARGET...]
# BUILD_DIR is configured and built first when it does not exist yet: clang with ASan + UBSan at
# -O1, where the JSON readers run about twenty times the inputs per second of the -O0 build the
# CI stage uses to save compile time.
# The classic input schedule (-entropic=0): the entropic one spends over a third of the time of
# the JSON targets, with their tens of thousands of coverage features, updating feature
# frequencies, and case_file_fuzz runs four times the inputs without it.
# Prints one line per target: executions, seconds, corpus size; a crash stops that target, leaves
# its input in WORK/NAME/ and makes the exit status 1 (fix it, commit the input under
# fuzz/regressions/NAME/).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -d "$1" ]; then
  cmake -S "$root" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_C_FLAGS="-O1 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DCMAKE_C_COMPILER=clang-14 \
    -DCMAKE_CXX_COMPILER=clang++-14 -DCTS_FUZZ=ON >/dev/null
  cmake --build "$1" --target fuzz_targets
fi
bin_dir="$(cd "$1" && pwd)/bin"
runs="$2"
seconds="$3"
shift 3
work="${FUZZ_WORK:-$root/build-san/fuzz-long}"
mkdir -p "$work"
python3 "$root/fuzz/make_seeds.py" "$root" "$work/seeds"
wanted=("$@")
status=0
while read -r name max_len seeds; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if ((${#wanted[@]})) && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  dir="$work/$name"
  mkdir -p "$dir/corpus"
  folders=()
  for s in $seeds; do
    if [[ "$s" == @* ]]; then folders+=("$work/seeds/${s#@}"); else folders+=("$root/$s"); fi
  done
  [ -d "$root/fuzz/regressions/$name" ] && folders+=("$root/fuzz/regressions/$name")
  started=$(date +%s)
  if "$bin_dir/$name" -runs="$runs" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
      -rss_limit_mb=2048 -entropic=0 -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" "${folders[@]}" \
      >"$dir/fuzz.log" 2>&1; then
    verdict=ok
  else
    verdict="FOUND A CRASH (input and log in $dir/)"
    status=1
  fi
  done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -n 1)
  printf 'fuzz-long: %-20s %11s executions in %5s s, corpus %5s inputs: %s\n' "$name" "${done_runs:-?}" \
    "$(($(date +%s) - started))" "$(ls "$dir/corpus" | wc -l)" "$verdict"
done <"$root/fuzz/targets.txt"
exit "$status"
