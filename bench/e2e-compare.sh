#!/usr/bin/env bash
# End to end, NormLab against PyTorch eager on the same recipe: whole sweeps, not steps. Each round
# runs, in an order flipped every round, the NormLab fat jar and bench/noise_parity.py (Debian's
# torch) on the same trials, and prints per round and per (norm, batch) cell the summed trial
# wall time (results.csv's and parity.csv's wall_s: model build, training and evaluation) and the
# whole process's wall time (JVM or Python start, data loading included), then the medians over
# rounds of NormLab/PyTorch throughput (PyTorch seconds / NormLab seconds: above 1, NormLab is faster).
#
#   bench/e2e-compare.sh [ROUNDS] [noise|batch]      (default: 3 noise)
#
#   noise: sweeps/noise.yaml's no-attack cells for bn and iebn (batch 16 and 128, ResNet-8 on
#          16x16 Fashion-MNIST, 3 seeds: 12 trials, the cells the issue measured)
#   batch: a slice of sweeps/batch-size.yaml: bn and iebn at batch 2, 4, 8 and 16, seed 1, 2 epochs of a
#          600-image training subset (600 steps at batch 2), without the instruments the parity
#          script does not run (eval.stats precise and batch, the per-layer log)
#
# Environment: JAR (experiments/target/experiments.jar), JAVA_OPTS (default: the project's
# jvm.options, as bin/normlab runs the jar), PYTHON (/usr/bin/python3), THREADS (2, both sides),
# NORMS (bn,iebn), PARALLEL (1; N > 1: NormLab runs --parallel N --threads THREADS/N, and PyTorch
# as N processes of THREADS/N threads, each --shard k/N of the trials; then a cell's seconds are
# summed over processes that ran side by side, and the whole process time is the one to read).
# Run it on an otherwise idle machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
what=${2:-noise}
jar=${JAR:-$root/experiments/target/experiments.jar}
python=${PYTHON:-/usr/bin/python3}
threads=${THREADS:-2}
norms=${NORMS:-bn,iebn}
parallel=${PARALLEL:-1}
per_process=$((threads / parallel))
((per_process >= 1)) || { echo "PARALLEL=$parallel exceeds THREADS=$threads" >&2; exit 2; }
[ -f "$jar" ] || (cd "$root" && mvn -B -q package -DskipTests)
"$python" -c 'import torch' 2>/dev/null || { echo "$python has no torch (apt-get install python3-torch)" >&2; exit 2; }

# the norm axis as named points, one per norm: {bn: {norm.name: bn}, iebn: {norm.name: iebn}}
norm_axis="{$(echo "$norms" | tr ',' '\n' | sed 's/.*/&: {norm.name: &}/' | paste -sd, | sed 's/,/, /g')}"
case "$what" in
  noise)
    sweep=sweeps/noise.yaml
    sets=(--set 'grid.attack={none: {}}' --set 'exclude=[]' --set 'report={}' --set 'check=null' --set "grid.norm=$norm_axis")
    ;;
  batch)
    sweep=sweeps/batch-size.yaml
    sets=(--set 'grid.data.batch_size=[2, 4, 8, 16]' --set "grid.norm=$norm_axis" --set 'seeds=[1]' --set 'data.train_subset=600'
          --set 'eval.stats=[ema]' --set 'log.layers={every_steps: 0, batch_noise: false}'
          --set 'exclude=[]' --set 'report={}')
    ;;
  *) echo "usage: bench/e2e-compare.sh [ROUNDS] [noise|batch]" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
start=$(date +%s)
run_normlab() {
  local out=$work/normlab-$1 t0 t1
  t0=$(date +%s.%N)
  local scale=(--threads "$threads")
  ((parallel == 1)) || scale=(--parallel "$parallel" --threads "$per_process")
  java ${JAVA_OPTS:-@$root/experiments/src/main/resources/org/normlab/experiments/launch/jvm.options} \
    -jar "$jar" "$sweep" "${sets[@]}" "${scale[@]}" --out "$out" >"$work/normlab-$1.log" 2>&1 \
    || { echo "NormLab failed, round $1:" >&2; tail -20 "$work/normlab-$1.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$1 normlab process $(echo "$t1 - $t0" | bc)" >> "$work/times"
  find "$out" -name results.csv -exec cp {} "$work/normlab-$1.csv" \;
}
run_pytorch() {
  local out=$work/pytorch-$1 t0 t1
  t0=$(date +%s.%N)
  local k pids=()
  for ((k = 1; k <= parallel; k++)); do
    "$python" bench/noise_parity.py "$sweep" "${sets[@]}" --norms "$norms" --threads "$per_process" --shard "$k/$parallel" \
      --out "$out/$k" >"$work/pytorch-$1-$k.log" 2>&1 &
    pids+=($!)
  done
  for k in "${!pids[@]}"; do
    wait "${pids[$k]}" || { echo "PyTorch failed, round $1:" >&2; tail -20 "$work/pytorch-$1-$((k + 1)).log" >&2; exit 1; }
  done
  t1=$(date +%s.%N)
  echo "$1 pytorch process $(echo "$t1 - $t0" | bc)" >> "$work/times"
  # one header, then every shard's rows
  { head -1 "$out/1/parity.csv"; for ((k = 1; k <= parallel; k++)); do tail -n +2 "$out/$k/parity.csv"; done; } >"$work/pytorch-$1.csv"
}
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then run_normlab "$r"; run_pytorch "$r"; else run_pytorch "$r"; run_normlab "$r"; fi
  echo "# round $r of $rounds done ($(($(date +%s) - start)) s)" >&2
done

"$python" - "$work" "$rounds" "$what" "$threads" "$parallel" <<'EOF'
import csv, statistics, sys
work, rounds, what, threads, parallel = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]

def cells(path):
    """Summed wall_s per (norm, batch); the batch column is named by the sweep's axis."""
    sums = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            if row.get("status", "completed") != "completed":
                continue
            batch = next(row[k] for k in ("batch", "data.batch_size", "batch_size") if k in row)
            key = (row["norm"], int(batch))
            sums[key] = sums.get(key, 0.0) + float(row["wall_s"])
    return sums

process = {}
with open(f"{work}/times") as f:
    for line in f:
        r, engine, _, sec = line.split()
        process[(int(r), engine)] = float(sec)
ratios = {}
print(f"# bench/e2e-compare.sh {rounds} {what}: threads {threads}, parallel {parallel}; seconds per round, NormLab / PyTorch throughput")
print("| round | cell | trials NormLab s | trials PyTorch s | NormLab/PyTorch |")
print("|---|---|---:|---:|---:|")
for r in range(1, rounds + 1):
    nl = cells(f"{work}/normlab-{r}.csv")
    pt = cells(f"{work}/pytorch-{r}.csv")
    if set(nl) != set(pt):
        sys.exit(f"round {r}: the two sides ran different cells: NormLab {sorted(nl)}, PyTorch {sorted(pt)}")
    for key in sorted(nl):
        ratios.setdefault(key, []).append(pt[key] / nl[key])
        print(f"| {r} | {key[0]} batch {key[1]} | {nl[key]:.1f} | {pt[key]:.1f} | {pt[key] / nl[key]:.2f} |")
    total_nl, total_pt = sum(nl.values()), sum(pt.values())
    ratios.setdefault(("all trials", 0), []).append(total_pt / total_nl)
    p_nl, p_pt = process[(r, "normlab")], process[(r, "pytorch")]
    ratios.setdefault(("whole process", 0), []).append(p_pt / p_nl)
    print(f"| {r} | all trials | {total_nl:.1f} | {total_pt:.1f} | {total_pt / total_nl:.2f} |")
    print(f"| {r} | whole process | {p_nl:.1f} | {p_pt:.1f} | {p_pt / p_nl:.2f} |")
print()
print("| cell | NormLab/PyTorch, median [min-max] over rounds |")
print("|---|---:|")
for key, v in ratios.items():
    name = key[0] if key[1] == 0 else f"{key[0]} batch {key[1]}"
    print(f"| {name} | {statistics.median(v):.2f} [{min(v):.2f}-{max(v):.2f}] |")
EOF
echo "# elapsed $(($(date +%s) - start)) s" >&2
