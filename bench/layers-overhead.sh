#!/usr/bin/env bash
# log.layers overhead (issue 17, target <= 3% of training throughput at every_steps 50): the bench
# command without and with --layers-every, one process per measurement, interleaved round by round,
# through bin/normlab (the jar's JVM options and malloc settings). Run it on an idle machine.
#
#   bench/layers-overhead.sh [ROUNDS]       default 3 rounds (~12 min for the defaults on 2 cores)
#
# Environment: MODEL (resnet20), NORM (iebn), INPUT (1x28x28), BATCH (128), ITERS (400), EVERY (50);
# BATCH_NOISE=1 adds --batch-noise to the run with the log (log.layers.batch_noise: two more forward
# passes per sampled step), so the overhead is that of the log with batch_noise.
# Per round: img/s without and with, overhead = 1 - with/without; from the run with the log, in the
# same process: the median unsampled and sampled step (ms), a sampled step's cost in steps and the
# overhead that cost alone gives, (cost - 1) / (EVERY - 1 + cost); RSS at iteration 100 without/with;
# the most MB a step's arrays held at its end, unsampled and sampled. Then the median overhead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
every=${EVERY:-50}
args=(bench --model "${MODEL:-resnet20}" --norm "${NORM:-iebn}" --batch "${BATCH:-128}" --input "${INPUT:-1x28x28}"
      --mode train --iters "${ITERS:-400}")
# key=value from the first line that starts with $1
field() { awk -v tag="$1" -v key="$2" '$1 == tag { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) { print kv[2]; exit } } }'; }

overheads=()
printf '%-5s %10s %10s %9s %12s %12s %11s %11s %16s %16s\n' round img_s_off img_s_on overhead step_ms samp_ms cost_steps in_process rss100_off/on held_mb/sampled
for ((r = 1; r <= rounds; r++)); do
  off=$("$root/bin/normlab" "${args[@]}" 2>/dev/null)
  on=$("$root/bin/normlab" "${args[@]}" --layers-every "$every" ${BATCH_NOISE:+--batch-noise} 2>/dev/null)
  a=$(field RESULT img_s <<< "$off"); b=$(field RESULT img_s <<< "$on")
  m=$(field STEPS median_ms <<< "$on"); s=$(field STEPS sampled_median_ms <<< "$on")
  c=$(field STEPS sampled_cost_steps <<< "$on")
  o=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f%%", 100 * (1 - b / a) }')
  p=$(awk -v c="$c" -v k="$every" 'BEGIN { printf "%.2f%%", 100 * (c - 1) / (k - 1 + c) }')
  rss="$(field MEMORY rss_mb_at_iter_100 <<< "$off")/$(field MEMORY rss_mb_at_iter_100 <<< "$on")"
  held="$(field STEPS held_mb <<< "$on")/$(field STEPS sampled_held_mb <<< "$on")"
  printf '%-5s %10s %10s %9s %12s %12s %11s %11s %16s %16s\n' "$r" "$a" "$b" "$o" "$m" "$s" "$c" "$p" "$rss" "$held"
  overheads+=("$(awk -v a="$a" -v b="$b" 'BEGIN { print 100 * (1 - b / a) }')")
done
printf '%s\n' "${overheads[@]}" | sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
  printf "median overhead over %d rounds: %.2f%% [%.2f%% .. %.2f%%] (target <= 3%%)\n", NR, m, v[1], v[NR] }'
