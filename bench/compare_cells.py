"""Two sets of trials, cell by cell: the noise study's convergence check and its PyTorch parity table.

  /usr/bin/python3 bench/compare_cells.py A.csv B.csv [--labels "A,B"] [--tolerance 0.02] [--csv OUT.csv]

A and B are NormLab results.csv files or bench/noise_parity.py's parity.csv. Only completed trials
without an attack count (an `attack` column, where there is one, must be `none`; with --attack L,
it must be L, e.g. constant-1 for noise_parity.py --constant's rows); a cell is a
(norm, batch) pair (the `batch` or `batch_size` column). Convergence-check trials (a non-empty
`check.budget` column, sweep key check:) are left out: the report has their own table. Per cell: final_val_acc as mean +- sample
std (n-1) in A and in B, B - A with Welch's 95% t-interval (SciPy: Debian's python3-scipy), and,
with --tolerance T, whether |B - A| <= T (the convergence check: within 2 points of twice the budget).
Prints a Markdown table; --csv also writes it as CSV, e.g. into RUNS/noise/checks/, where the
report shows every checks/*.csv as a table (then rerun `report RUNS/noise`).

  convergence: compare_cells.py runs/noise/results.csv runs/noise-2x/results.csv --labels "budget,2x budget" \
                   --tolerance 0.02 --csv runs/noise/checks/convergence.csv
  parity:      compare_cells.py runs/noise/results.csv runs/noise-pytorch-parity/parity.csv --labels "NormLab,PyTorch" \
                   --csv runs/noise/checks/pytorch-parity.csv
"""
import argparse, csv, statistics, sys
from scipy import stats

def cells(path, attack='none'):
    by = {}
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            if row.get('status') != 'completed' or row.get('attack', 'none') != attack:
                continue
            if row.get('check.budget'):   # a convergence-check trial (sweep key check:), not the cell's budget
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
p.add_argument('--labels', default='A,B'); p.add_argument('--tolerance', type=float); p.add_argument('--csv')
p.add_argument('--attack', default='none', help='the attack column\'s value of the trials to compare (default none)')
args = p.parse_args()
la, lb = args.labels.split(',')
A, B = cells(args.a, args.attack), cells(args.b, args.attack)
common = sorted(set(A) & set(B), key=lambda k: (k[0] != 'bn', k[0], k[1]))
if not common:
    sys.exit('no (norm, batch) cell with attack %s is in both files: %s vs %s' % (args.attack, sorted(A), sorted(B)))
header = ['norm', 'batch', la, lb, '%s − %s [95%% CI]' % (lb, la)] + ([] if args.tolerance is None else ['within %g' % args.tolerance])
rows = []
for key in common:
    d, ci = welch(A[key], B[key])
    row = [key[0], str(key[1]), summary(A[key]), summary(B[key]),
           '%+.3f %s' % (d, '[%+.3f, %+.3f]' % ci if ci else '(no interval)')]
    if args.tolerance is not None:
        row.append('yes' if abs(d) <= args.tolerance else 'no')
    rows.append(row)
print('| ' + ' | '.join(header) + ' |')
print('|' + '---|' * 2 + '---:|' * 3 + ('---|' if args.tolerance is not None else ''))
for row in rows:
    print('| ' + ' | '.join(row) + ' |')
if args.csv:
    import os
    os.makedirs(os.path.dirname(os.path.abspath(args.csv)), exist_ok=True)
    with open(args.csv, 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
