#!/usr/bin/env bash
# Replays every committed regression input, then fuzzes each target of fuzz/targets.txt for a
# bounded time, two at a time.
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
# Prints one line per target with its executions and the seed inputs it loaded (also collected in
# WORK/executions.txt); exits 1 when a target finds a crash (its log and the crashing input stay
# in the work folder named in the message) or never finished loading its seeds. A crash found
# here is fixed, and its input committed under fuzz/regressions/TARGET/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "$1" && pwd)"
seconds="$2"
shift 2
work="${FUZZ_WORK:-$build/fuzz-work}"
rm -rf "$work"
mkdir -p "$work"
python3 "$root/fuzz/make_seeds.py" "$root" "$work/seeds"
wanted=("$@")
ran=()

fuzz_one() {  # NAME MAX_LEN SEED...
  local name="$1" max_len="$2"
  shift 2
  local bin="$build/bin/$name" dir="$work/$name"
  mkdir -p "$dir/corpus"
  local seeds=()
  for s in "$@"; do
    if [[ "$s" == @* ]]; then seeds+=("$work/seeds/${s#@}"); else seeds+=("$root/$s"); fi
  done
  local regressions="$root/fuzz/regressions/$name"
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    if ! "$bin" -runs=1 "$regressions"/* >"$dir/replay.log" 2>&1; then
      echo "fuzz: $name: a committed regression input fails again; see $dir/replay.log"
      tail -n 30 "$dir/replay.log"
      return 1
    fi
  fi
  if ! "$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" "${seeds[@]}" >"$dir/fuzz.log" 2>&1; then
    echo "fuzz: $name: FOUND A CRASH; input and log in $dir/"
    grep -E "ERROR|SUMMARY|Test unit written" "$dir/fuzz.log" | head -n 10
    return 1
  fi
  local runs seeds
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -n 1)
  seeds=$(sed -n 's/^INFO: seed corpus: files: \([0-9]*\).*/\1/p' "$dir/fuzz.log" | head -n 1)
  # A target that spends its time loading seeds tests nothing beyond them (case_file_fuzz once
  # ran 34 inputs in 10 s): it must at least have run every seed.
  if ! grep -q "INITED" "$dir/fuzz.log"; then
    echo "fuzz: $name: did not finish loading its ${seeds:-?} seed inputs in $seconds s; see $dir/fuzz.log"
    return 1
  fi
  printf 'fuzz: %-20s %10s executions in %s s, %s seed inputs, corpus %s inputs\n' "$name" "${runs:-?}" \
    "$seconds" "${seeds:-0}" "$(ls "$dir/corpus" | wc -l)" | tee -a "$work/executions.txt"
}

while read -r name max_len seeds; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if ((${#wanted[@]})) && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  # Two at a time: one per core.
  while (($(jobs -rp | wc -l) >= 2)); do wait -n || true; done
  # shellcheck disable=SC2086
  ( fuzz_one "$name" "$max_len" $seeds && touch "$work/$name.passed" ) &
  ran+=("$name")
done <"$root/fuzz/targets.txt"
wait
failed=0
for name in "${ran[@]}"; do [ -e "$work/$name.passed" ] || failed=1; done
exit "$failed"
