"""Two sets of trials, cell by cell: the noise study's convergence check and its PyTorch parity table.

  /usr/bin/python3 bench/compare_cells.py A.csv B.csv [--labels "A,B"] [--tolerance 0.02]

A and B are NormLab results.csv files or bench/noise_parity.py's parity.csv. Only completed trials
without an attack count (an `attack` column, where there is one, must be `none`); a cell is a
(norm, batch) pair (the `batch` or `batch_size` column). Per cell: final_val_acc as mean +- sample
std (n-1) in A and in B, B - A with Welch's 95% t-interval (SciPy: Debian's python3-scipy), and,
with --tolerance T, whether |B - A| <= T (the convergence check: within 2 points of twice the budget).

  convergence: compare_cells.py runs/noise/results.csv runs/noise-2x/results.csv --labels "budget,2x budget" --tolerance 0.02
  parity:      compare_cells.py runs/noise/results.csv runs/noise-pytorch-parity/parity.csv --labels "NormLab,PyTorch"
"""
import argparse, csv, statistics, sys
from scipy import stats

def cells(path):
    by = {}
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            if row.get('status') != 'completed' or row.get('attack', 'none') != 'none':
                continue
            batch = int(row.get('batch') or row['batch_size'])
            by.setdefault((row['norm'], batch), []).append(float(row['final_val_acc']))
    return by

def summary(v):
    return '%.3f ± %.3f (n=%d)' % (statistics.mean(v), statistics.stdev(v) if len(v) > 1 else float('nan'), len(v))

def welch(a, b):
    """B - A and its Welch 95% interval (None when a side has fewer than 2 values or no variance)."""
    d = statistics.mean(b) - statistics.mean(a)
    if len(a) < 2 or len(b) < 2:
        return d, None
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    if va + vb == 0:
        return d, None
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    h = stats.t.ppf(0.975, df) * (va + vb) ** 0.5
    return d, (d - h, d + h)

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('a'); p.add_argument('b')
p.add_argument('--labels', default='A,B'); p.add_argument('--tolerance', type=float)
args = p.parse_args()
la, lb = args.labels.split(',')
A, B = cells(args.a), cells(args.b)
common = sorted(set(A) & set(B), key=lambda k: (k[0] != 'bn', k[0], k[1]))
if not common:
    sys.exit('no (norm, batch) cell without attack is in both files: %s vs %s' % (sorted(A), sorted(B)))
head = '| norm | batch | %s | %s | %s − %s [95%% CI] |' % (la, lb, lb, la)
rule = '|---|---:|---:|---:|---:|'
if args.tolerance is not None:
    head += ' within %g |' % args.tolerance; rule += '---|'
print(head); print(rule)
for key in common:
    d, ci = welch(A[key], B[key])
    line = '| %s | %d | %s | %s | %+.3f %s |' % (key[0], key[1], summary(A[key]), summary(B[key]), d,
                                                '[%+.3f, %+.3f]' % ci if ci else '(no interval)')
    if args.tolerance is not None:
        line += ' %s |' % ('yes' if abs(d) <= args.tolerance else '**no**')
    print(line)
