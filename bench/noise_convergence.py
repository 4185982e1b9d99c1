"""The noise study's convergence check: the no-attack accuracy at the study's budget against twice it.

Usage: /usr/bin/python3 bench/noise_convergence.py RUNS/noise/results.csv RUNS/noise-2x/results.csv
Prints a Markdown table: per norm and batch, mean +- sample std (n-1) of final_val_acc over the seeds
at the budget and at twice the budget, the difference, and whether it is within 2 points (issue 19).
Only completed trials without an attack count (attack column 'none')."""
import csv, statistics, sys

def cells(path):
    by = {}
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            if row['status'] == 'completed' and row.get('attack', 'none') == 'none':
                by.setdefault((row['norm'], int(row['batch'])), []).append(float(row['final_val_acc']))
    return by

def fmt(values):
    return '%.3f ± %.3f (n=%d)' % (statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0, len(values))

if len(sys.argv) != 3:
    sys.exit(__doc__)
budget, double = cells(sys.argv[1]), cells(sys.argv[2])
if not budget or set(budget) != set(double):
    sys.exit('the two files do not hold the same no-attack cells: %s vs %s' % (sorted(budget), sorted(double)))
print('| norm | batch | at the budget | at twice the budget | difference | within 2 points |')
print('|---|---:|---:|---:|---:|---|')
for key in sorted(budget, key=lambda k: (k[0] != 'bn', k[0], k[1])):
    a, b = budget[key], double[key]
    d = statistics.mean(b) - statistics.mean(a)
    print('| %s | %d | %s | %s | %+.3f | %s |' % (key[0], key[1], fmt(a), fmt(b), d, 'yes' if abs(d) <= 0.02 else '**no**'))
