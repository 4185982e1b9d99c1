#!/usr/bin/env bash
# The noise study's convergence check, part 1: its no-attack cells at twice the steps, as sweep noise-2x.
# Usage (from the repository root): bench/noise-2x.sh [--out runs] ; then
#   /usr/bin/python3 bench/compare_cells.py runs/noise/results.csv runs/noise-2x/results.csv --labels "budget,2x budget" --tolerance 0.02
exec java @experiments/src/main/resources/org/normlab/experiments/launch/jvm.options -jar "${JAR:-experiments/target/experiments.jar}" sweeps/noise.yaml "$@" \
  --set name=noise-2x --set 'grid.attack={none: {}}' --set 'exclude=[]' --set 'report={}' --set 'check=null' \
  --set 'grid.batch={"16": {data.batch_size: 16, steps: 1000, eval.every_steps: 500}, "128": {data.batch_size: 128, steps: 300, eval.every_steps: 150}}'
