#!/usr/bin/python3
"""Throughput of one benchmark as a fraction of another's, measured in the same run.

Both benchmarks run with their repetitions interleaved in random order, so a noisy neighbour
slows both alike; each repetition pairs the two bytes_per_second figures of the same
repetition index. Prints the median of the pair ratios with its quartiles, and the ratio of the
two medians.

usage: bench_ratio.py BENCHMARK BASELINE [--repetitions N] [--bench PATH]
  e.g. bench_ratio.py VectorsVerify/aes-128-gcm/1400/real_time EspInbound/ipsec-mb/aes-128-gcm/1400
Exit 2 when a benchmark is missing or reports no bytes_per_second.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("benchmark")
    ap.add_argument("baseline")
    ap.add_argument("--repetitions", type=int, default=30)
    ap.add_argument("--min-time", default="0.15")
    ap.add_argument("--bench", default=os.path.join(root, "build", "bin", "ipsec-cts-bench"))
    args = ap.parse_args()

    names = [args.benchmark, args.baseline]
    # Benchmark names hold only letters, digits, "-" and "/": no regex escaping is needed.
    pattern = "^(" + "|".join(n.removesuffix("/real_time") for n in names) + ")(/real_time)?$"
    run = subprocess.run(
        [args.bench, f"--benchmark_filter={pattern}", f"--benchmark_repetitions={args.repetitions}",
         f"--benchmark_min_time={args.min_time}", "--benchmark_enable_random_interleaving=true",
         "--benchmark_format=json"],
        capture_output=True, text=True)
    if run.returncode != 0:
        print(run.stderr.strip() or f"{args.bench} failed", file=sys.stderr)
        return 2
    runs = [b for b in json.loads(run.stdout)["benchmarks"] if b.get("run_type") == "iteration"]
    by_rep = {}
    for b in runs:
        if b["name"] not in names:
            continue
        if "bytes_per_second" not in b:
            print(f"{b['name']}: no bytes_per_second", file=sys.stderr)
            return 2
        by_rep.setdefault(b.get("repetition_index", 0), {})[b["name"]] = b["bytes_per_second"]
    pairs = [r[args.benchmark] / r[args.baseline] for r in by_rep.values() if len(r) == 2]
    if not pairs:
        print(f"no runs of both {args.benchmark} and {args.baseline}", file=sys.stderr)
        return 2
    pairs.sort()
    q1, q3 = pairs[len(pairs) // 4], pairs[(3 * len(pairs)) // 4]
    med = {n: statistics.median(r[n] for r in by_rep.values() if n in r) for n in names}
    print(f"{args.benchmark} / {args.baseline}: median ratio {statistics.median(pairs):.3f} "
          f"(quartiles {q1:.3f}..{q3:.3f}, {len(pairs)} pairs); ratio of medians "
          f"{med[args.benchmark] / med[args.baseline]:.3f} "
          f"({med[args.benchmark] / 1e9:.2f} / {med[args.baseline] / 1e9:.2f} GB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
