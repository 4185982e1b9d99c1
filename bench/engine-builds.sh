#!/usr/bin/env bash
# One 3x3 convolution's forward and backward (models' ConvBench) on every DJL PyTorch engine line
# Maven Central serves, against Debian's torch (bench/conv_peer.py), rounds interleaved: says
# whether another engine build would close the batch-16 gap (BENCHMARKS.md, "Which engine build").
#
#   bench/engine-builds.sh [ROUNDS] [NxCxHxW ...]     (default: 3 rounds, 16x16x16x16 16x64x4x4)
#
# Environment: LINES (djl:torch[:jni] pairs; default below: the newest DJL of each libtorch line,
# 1.13.1 being the oldest whose JNI is served), THREADS (2), PYTHON (/usr/bin/python3). Needs Maven
# Central once per line (then ~/.m2 and ~/.djl.ai serve it offline). Run it on an idle machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
shift || true
shapes=("$@")
[ $# -gt 0 ] || shapes=(16x16x16x16 16x64x4x4)
lines=${LINES:-0.36.0:2.7.1 0.33.0:2.5.1 0.30.0:2.4.0 0.29.0:2.3.1 0.28.0:2.3.0 0.28.0:2.2.2 0.27.0:2.1.1 0.22.0:1.13.1}
threads=${THREADS:-2}
python=${PYTHON:-/usr/bin/python3}
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647 MALLOC_TOP_PAD_=268435456  # as jvm.options' launchers
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for line in $lines; do
  IFS=: read -r djl torch jni <<<"$line"
  mvn -B -q -f "$root/bench/engine-builds/pom.xml" dependency:build-classpath -Ddjl="$djl" -Dtorch="$torch" \
    ${jni:+-Djni="$jni"} -Dmdep.outputFile="$work/$torch.cp" >/dev/null
  mkdir -p "$work/$torch"
  javac -nowarn -d "$work/$torch" -cp "$(cat "$work/$torch.cp")" "$root/models/src/test/java/org/normlab/models/bench/ConvBench.java"
done
for ((r = 1; r <= rounds; r++)); do
  {
  for line in $lines; do
    IFS=: read -r djl torch jni <<<"$line"
    java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -cp "$work/$torch:$(cat "$work/$torch.cp")" \
      org.normlab.models.bench.ConvBench "${shapes[@]}" 2>/dev/null | sed "s/^CONV /CONV round=$r djl=$djl /"
  done
  THREADS=$threads "$python" "$root/bench/conv_peer.py" "${shapes[@]}" | sed "s/^CONV /CONV round=$r djl=none /"
  } | tee -a "$work/conv.txt"
done
# per engine and input: forward + backward, median [min-max] over rounds, and as a multiple of Debian's torch
"$python" - "$work/conv.txt" <<'PY'
import collections, re, statistics, sys
ms = collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = dict(re.findall(r"(\w+)=(\S+)", line))
    ms[(f["engine"], f["in"])].append(float(f["forward_ms"]) + float(f["backward_ms"]))
peer = {i: statistics.median(v) for (e, i), v in ms.items() if not e.startswith("djl-")}
print("| engine | input | forward + backward ms, median [min-max] | / Debian's torch |")
print("|---|---|---:|---:|")
for (e, i), v in ms.items():
    print(f"| {e} | {i} | {statistics.median(v):.2f} [{min(v):.2f}-{max(v):.2f}] | {statistics.median(v) / peer[i]:.2f} |")
PY
