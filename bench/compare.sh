#!/usr/bin/env bash
# Interleaved throughput comparison: NormLab (bench command of the fat jar) vs the PyTorch eager
# peer (bench/pytorch_peer.py on Debian's python3-torch), and every norm vs BN within each.
# One process per measurement, rounds interleaved, ratios with min/median/max: on a noisy
# machine only ratios measured in one run count.
#
#   bench/compare.sh [ROUNDS] [CONFIG...]      CONFIG = model:CxHxW:batch[:warmup:iters], e.g. r20:3x32x32:128
#   default: 5 rounds of r20:3x32x32:128 r20:1x28x28:128 r18:3x32x32:64
#   (a config's own warmup:iters, e.g. r20:1x16x16:16:200:100, override WARMUP and ITERS for it)
#
# Environment: NORMS ("bn iebn"; any shipped norms, e.g. "bn gn ln in brn frn evonorm_b0 evonorm_s0"),
# WARMUP (30: the JIT and the allocator settle), ITERS (20), PEER (path to pytorch_peer.py), PYTHON (/usr/bin/python3),
# JAVA_OPTS (JVM options for NormLab). The peer runs twice per measurement: with glibc's malloc
# defaults (pytorch) and with the settings the jar applies to itself (pytorch-tuned);
# PEER_VARIANTS ("pytorch pytorch-tuned") picks which.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/experiments/target/experiments.jar"
rounds=${1:-5}; shift || true
configs=("$@"); [ ${#configs[@]} -eq 0 ] && configs=(r20:3x32x32:128 r20:1x28x28:128 r18:3x32x32:64)
warmup=${WARMUP:-30}; iters=${ITERS:-20}
python=${PYTHON:-/usr/bin/python3}
peer=${PEER:-$root/bench/pytorch_peer.py}
read -r -a norms <<< "${NORMS:-bn iebn}"
read -r -a peer_variants <<< "${PEER_VARIANTS:-pytorch pytorch-tuned}"
[ -f "$jar" ] || (cd "$root" && mvn -B -q package -DskipTests)

have_peer=1
if [ ! -f "$peer" ]; then
  echo "# PyTorch peer skipped: $peer not found (set PEER=...)" >&2; have_peer=0
elif ! "$python" -c 'import torch' 2>/dev/null; then
  echo "# PyTorch peer skipped: $python has no torch (apt-get install python3-torch)" >&2; have_peer=0
fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT
# the jar sets these itself with mallopt (MallocTuning); the same values as environment variables
tuned_malloc=(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647 MALLOC_TOP_PAD_=268435456)
# RESULT line -> "round config engine norm mode img_s"
parse='/^RESULT/ {v = ""; m = ""; n = "";
  for (i = 1; i <= NF; i++) { split($i, kv, "=");
    if (kv[1] == "img_s") v = kv[2]; else if (kv[1] == "mode") m = kv[2]; else if (kv[1] == "norm") n = kv[2] }
  print r, c, e, n, m, v}'
model_name() { case "$1" in r20) echo resnet20;; r18) echo resnet18;; *) echo "$1";; esac; }

for ((r = 1; r <= rounds; r++)); do
  for cfg in "${configs[@]}"; do
    IFS=: read -r model shape batch cfg_warmup cfg_iters <<< "$cfg"
    w=${cfg_warmup:-$warmup}; n=${cfg_iters:-$iters}
    IFS=x read -r ch hw _ <<< "$shape"
    for norm in "${norms[@]}"; do
      for mode in train eval; do
        java ${JAVA_OPTS:-} -jar "$jar" bench --model "$(model_name "$model")" --norm "$norm" --batch "$batch" \
            --input "$shape" --mode "$mode" --warmup "$w" --iters "$n" 2>/dev/null \
          | awk -v c="$cfg" -v r="$r" -v e=normlab "$parse" >> "$results"
        if [ $have_peer -eq 1 ]; then
          # the peer twice: as Debian ships it (glibc defaults) and with the malloc settings the jar
          # applies to itself, so that the allocator is not what the ratio measures
          for variant in "${peer_variants[@]}"; do
            if [ $variant = pytorch ]; then prefix=(env); else prefix=(env "${tuned_malloc[@]}"); fi
            "${prefix[@]}" "$python" "$peer" model="$model" norm="$norm" batch="$batch" ch="$ch" hw="$hw" \
                warmup="$w" iters="$n" mode="$mode" threads=2 2>/dev/null \
              | awk -v c="$cfg" -v r="$r" -v e="$variant" "$parse" >> "$results"
          done
        fi
      done
    done
  done
done

echo "# raw: round config engine norm mode img_s"
cat "$results"
echo
echo "# ratios per round, then min / median / max over $rounds rounds"
python3 - "$results" <<'PY'
import sys, collections, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
v = {(int(r), c, e, n, m): float(x) for r, c, e, n, m, x in rows}
rounds = sorted({k[0] for k in v}); configs = list(dict.fromkeys(k[1] for k in v))
def ratio(num, den):
    out = [v[(r,) + num] / v[(r,) + den] for r in rounds if (r,) + num in v and (r,) + den in v]
    return out
print(f"{'config':16} {'mode':5} {'ratio':30} {'min':>6} {'median':>7} {'max':>6}")
norms = list(dict.fromkeys(k[3] for k in v))
for c in configs:
    for m in ("train", "eval"):
        pairs = []
        for n in norms:
            if n != "bn":
                pairs += [(f"{n}/bn {e}", (c, e, n, m), (c, e, "bn", m)) for e in ("normlab", "pytorch", "pytorch-tuned")]
        for n in norms:
            pairs += [(f"normlab/{e} {n}", (c, "normlab", n, m), (c, e, n, m)) for e in ("pytorch", "pytorch-tuned")]
        for label, num, den in pairs:
            x = ratio(num, den)
            if x:
                print(f"{c:16} {m:5} {label:30} {min(x):6.3f} {statistics.median(x):7.3f} {max(x):6.3f}")
PY
