#!/usr/bin/env bash
# Times `ipsec-cts vectors verify` at 1 job and at JOBS jobs on a generated capture of MEGABYTES
# (AES-128-GCM, 1400-octet payloads, 64 SAs), after one untimed pass that puts it in the page
# cache; prints wall time, throughput and peak RSS of each run and the speed-up. Every packet
# must verify (exit 0). The capture lives in a temporary folder removed on exit.
#   usage: measure_verify_jobs.sh MEGABYTES [JOBS=2] [MAKE_VERIFY_CAPTURE] [IPSEC_CTS]
# Take timings on a quiet machine (this project: under flock /work/.build.lock).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
mb="${1:?usage: measure_verify_jobs.sh MEGABYTES [JOBS] [MAKE_VERIFY_CAPTURE] [IPSEC_CTS]}"
jobs="${2:-2}"
maker="${3:-$root/build/bin/make_verify_capture}"
cts="${4:-$root/build/bin/ipsec-cts}"
dir="$(mktemp -d "${TMPDIR:-/tmp}/cts-verify-scale.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
"$maker" "$dir/capture.pcap" "$dir/sas.json" "$mb" >"$dir/made.txt"
echo "capture: $(cat "$dir/made.txt")"
size=$(stat -c %s "$dir/capture.pcap")
"$cts" vectors verify "$dir/capture.pcap" --sa "$dir/sas.json" --jobs 1 --failures-only >/dev/null
run() {
  local j="$1"
  /usr/bin/time -f "%e %M" -o "$dir/time.$j" "$cts" vectors verify "$dir/capture.pcap" --sa "$dir/sas.json" \
    --jobs "$j" >"$dir/out.$j"
  read -r secs kb <"$dir/time.$j"
  awk -v j="$j" -v s="$secs" -v kb="$kb" -v size="$size" \
    'BEGIN { printf "jobs %s: %.2f s, %.0f MB/s, peak RSS %.0f MB\n", j, s, size / 1e6 / (s > 0 ? s : 0.01), kb / 1024 }'
}
run 1
run "$jobs"
cmp -s "$dir/out.1" "$dir/out.$jobs" || { echo "output of --jobs $jobs differs from --jobs 1" >&2; exit 1; }
read -r s1 _ <"$dir/time.1"
read -r sn _ <"$dir/time.$jobs"
awk -v a="$s1" -v b="$sn" -v j="$jobs" 'BEGIN { printf "speed-up at %s jobs: %.2fx\n", j, (b > 0 ? a / b : 0) }'
