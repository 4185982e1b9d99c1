#!/usr/bin/env bash
# Issue 27's table: NormLab vs PyTorch eager (Debian's /usr/bin/python3, torch 1.13, 2 threads),
# ResNet-20, bn / iebn / gn / ln, training and eval, at batch 16 on 1x16x16 (where the noise and
# batch-size studies live) and at batch 128 on 3x32x32; rounds interleaved, one process per
# measurement (bench/compare.sh). Meant for an IDLE machine; about 7 minutes with the defaults
# (estimated from the step times in BENCHMARKS.md, not yet timed on an idle machine: the script
# prints its own elapsed time, so trim ROUNDS or the iterations if it runs over).
#
#   bench/small-batch-table.sh              # ROUNDS=2, peer with the jar's malloc settings
#   ROUNDS=3 PEER_VARIANTS="pytorch pytorch-tuned" bench/small-batch-table.sh   # both peers (~1.5x longer)
#
# Warm-up and timed iterations per config: batch 16, 150 + 100 (short steps: the JIT and the
# allocator need the steps, the issue's figures used 200 warm-up steps); batch 128, 10 + 15.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
start=$(date +%s)
NORMS="${NORMS:-bn iebn gn ln}" PEER_VARIANTS="${PEER_VARIANTS:-pytorch-tuned}" \
  "$root/bench/compare.sh" "${ROUNDS:-2}" r20:1x16x16:16:150:100 r20:3x32x32:128:10:15
echo "# elapsed $(( $(date +%s) - start )) s"
