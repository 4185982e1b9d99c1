#!/usr/bin/env python3
"""PyTorch parity run of a sweep's no-attack recipe (issue 19), on Debian's python3-torch:

  /usr/bin/python3 bench/noise_parity.py sweeps/noise.yaml [--set KEY=VALUE]... [--out DIR]
      [--norms bn,iebn] [--constant] [--threads 2] [--shard K/N] [--defaults FILE] [--dry-run] [--verbose]

The recipe is read as NormLab reads it: experiments' defaults.yaml, then the sweep file, then
--set (same keys, same spelling: --set epochs=1, --set seeds=[1], --set grid.data.batch_size=[16]).
Every grid point whose resolved attack.name is none and data.name is not mix, for the norms asked,
is trained once per seed: the same Fashion-MNIST subsets, normalization and resize as the trial
(bench/normlab_data.py), NormLab's cifar_resnet with pytorch_peer.py's modules (model.init:
fan_out = kaiming_normal_ fan_out relu as torchvision, pytorch = nn.Conv2d's default; the
classifier as nn.Linear's default, as NormLab), SGD with weight decay on every parameter (norm
parameters included, as NormLab's Sgd), the schedule per step as NormLab's LrSchedule, cross-entropy,
drop_last when the set holds two batches. Not matched: the random streams (init draws, shuffling).
--constant adds the same norms' points under the constant attack at its strongest dose (x_hat ->
a x_hat + b in every norm layer before the affine and iebn's gate, in eval too with eval: true),
and iebn with norm.options gate: fixed (noise.yaml's iebn_fixed) keeps w = 0, b = -1 out of SGD.

Writes to --out (default runs/<name>-pytorch-parity): parity.csv (one row per trial; norm and attack
as results.csv names them, e.g. iebn_fixed and constant-1), summary.csv
and parity.md (per grid point: the final val accuracy per seed, mean +- sample std, ddof 1).
A setting this script cannot reproduce is refused with its key and where it was set."""
import argparse
import csv
import math
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import normlab_data  # noqa: E402
from normlab_recipe import RecipeError, constant_attack, load_points, lr_schedule  # noqa: E402
from pytorch_peer import IEBN, cifar_resnet, groups  # noqa: E402

DEFAULTS = os.path.join(ROOT, 'config/src/main/resources/org/normlab/config/defaults.yaml')
FASHION = '/usr/share/datasets/fashion-mnist'


class TrialData:
    """One seed's training and validation tensors, as DefaultDataFactory.load builds them."""

    def __init__(self, data, seed, raw):
        train_x, train_y, test_x, test_y = raw
        n_train = data['train_subset'] or len(train_y)
        if n_train > len(train_y):
            raise RecipeError('data.train_subset', '%d is more than the %d training images of fashion-mnist'
                              % (n_train, len(train_y)))
        picked = normlab_data.subset_indices(train_y, n_train, 10, seed) if data['train_subset'] else slice(None)
        val_n = min(data['val_subset'], len(test_y))
        val_picked = normlab_data.subset_indices(test_y, val_n, 10, seed) if data['val_subset'] else slice(None)
        train_px, val_px = train_x[picked], test_x[val_picked]
        if data['channels'] == 3:  # ImageOps.toChannels: grey replicated, before the statistics
            train_px, val_px = np.repeat(train_px, 3, axis=1), np.repeat(val_px, 3, axis=1)
        norm = data['normalize']
        stats = normlab_data.channel_statistics(train_px)
        self.mean = norm['mean'] or list(stats[0])
        self.std = norm['std'] or list(stats[1])
        self.x = normlab_data.to_input(train_px, self.mean, self.std, data['size'])
        self.y = torch.from_numpy(train_y[picked].astype(np.int64))
        self.val_x = normlab_data.to_input(val_px, self.mean, self.std, data['size'])
        self.val_y = torch.from_numpy(test_y[val_picked].astype(np.int64))


def build_model(r, channels):
    """NormLab's cifar_resnet (basic units) with the recipe's norm, its options (iebn's gate: fixed
    freezes w = 0, b = -1), the constant attack where the point has it, and model.init."""
    m = r['model']
    kind = r['norm']['name']
    net = cifar_resnet((m['depth'] - 2) // 6, 'B' if m['shortcut'] == 'B' else 'A', channels, kind=kind)
    options = r['norm']['options'] or {}
    attack = constant_attack(r)
    for module in net.modules():
        if isinstance(module, nn.BatchNorm2d):  # bn itself, and iebn's statistics
            module.eps = float(options.get('eps', 1e-5))
            module.momentum = float(options.get('momentum', 0.1))
            if attack:
                module.register_forward_hook(constant_hook(*attack))
        if isinstance(module, nn.GroupNorm) and kind == 'gn':  # NormLab's gn: groups (default 32), eps
            module.num_groups = gn_groups(module.num_channels, options)
            module.eps = float(options.get('eps', 1e-5))
        if isinstance(module, IEBN) and options.get('gate') == 'fixed':
            module.w.requires_grad_(False)  # out of training: no gradient, no SGD step, no weight decay
            module.b.requires_grad_(False)
        if isinstance(module, nn.Conv2d) and m['init'] == 'fan_out':
            nn.init.kaiming_normal_(module.weight, mode='fan_out', nonlinearity='relu')
    return net


def gn_groups(channels, options):
    """NormLab's gn groups for a layer: the groups option (default 32), rounded down to a divisor of the
    channels unless strict: true, where a layer it does not divide is refused as NormLab refuses it."""
    limit = int(options.get('groups', 32))
    if channels % limit == 0 or not options.get('strict', False):
        return groups(channels, limit)
    raise RecipeError('norm.options.groups', '%d groups do not divide a layer of %d channels (strict: true)'
                      % (limit, channels))


def constant_hook(a, b, in_eval):
    """NormLab's constant attack, x_hat -> a * x_hat + b at the batch-normalized step, before the
    affine (and iebn's gate, which multiplies the step's output): on a BatchNorm2d's output
    y = gamma * x_hat + beta that is a * y + (1 - a) * beta + b * gamma; on iebn's affine-free
    statistics step, a * x_hat + b. In training, and in eval too with eval: true."""
    def hook(module, inputs, out):
        if not (module.training or in_eval):
            return out
        if module.weight is None:
            return out * a + b
        v = (1, -1) + (1,) * (out.dim() - 2)
        return out * a + (1 - a) * module.bias.view(v) + b * module.weight.view(v)
    return hook


def evaluate(net, x, y, batch):
    net.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), batch):
            correct += (net(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(y)


def train_trial(r, seed, data):
    """One trial: its final val accuracy (running statistics, as final_val_acc), steps and status."""
    torch.manual_seed(seed)
    net = build_model(r, data.x.shape[1])
    o = r['optimizer']
    opt = torch.optim.SGD([p for p in net.parameters() if p.requires_grad], lr=o['lr'], momentum=o['momentum'], nesterov=o['nesterov'],
                          weight_decay=o['weight_decay'])
    crit = nn.CrossEntropyLoss(label_smoothing=r['loss']['label_smoothing'])
    lr_at = lr_schedule(r)
    batch, n = r['data']['batch_size'], len(data.y)
    drop_last = n >= 2 * batch
    steps_budget = r['steps']
    shuffle = torch.Generator().manual_seed(seed)
    step, epoch = 0, 0
    while (step < steps_budget) if steps_budget else (epoch < r['epochs']):
        net.train()
        order = torch.randperm(n, generator=shuffle)
        ends = range(batch, n + 1, batch) if drop_last else range(batch, n + batch, batch)
        for end in ends:
            idx = order[end - batch:min(end, n)]
            lr = lr_at(step, 0.0) if steps_budget else lr_at(epoch, (end - batch) / n)
            for g in opt.param_groups:
                g['lr'] = lr
            loss = crit(net(data.x[idx]), data.y[idx])
            if not math.isfinite(loss.item()):
                return float('nan'), step, 'diverged'
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            if steps_budget and step == steps_budget:
                break
        epoch += 1
    return evaluate(net, data.val_x, data.val_y, r['data']['val_batch_size']), step, 'completed'


def describe(values):
    return '%.3f ± %.3f' % (statistics.mean(values), statistics.stdev(values)) if len(values) > 1 \
        else ('%.3f (one seed, no std)' % values[0] if values else 'n/a')


def write_outputs(out, name, trials, header_lines):
    os.makedirs(out, exist_ok=True)
    columns = ['norm', 'batch_size', 'depth', 'init', 'point', 'seed', 'final_val_acc', 'steps', 'status', 'wall_s',
               'attack']
    with open(os.path.join(out, 'parity.csv'), 'w', newline='') as f:
        w = csv.DictWriter(f, columns)
        w.writeheader()
        w.writerows(trials)
    groups = {}
    for t in trials:
        groups.setdefault(tuple(t[k] for k in ('norm', 'batch_size', 'depth', 'init', 'point')), []).append(t)
    rows = []
    for key, ts in groups.items():
        accs = [t['final_val_acc'] for t in ts if t['status'] == 'completed']
        rows.append(dict(zip(('norm', 'batch_size', 'depth', 'init', 'point'), key), seeds=' '.join(str(t['seed']) for t in ts),
                         n=len(accs), mean='%.4f' % statistics.mean(accs) if accs else '',
                         std='%.4f' % statistics.stdev(accs) if len(accs) > 1 else '',
                         per_seed=' '.join('%.4f' % t['final_val_acc'] for t in ts), text=describe(accs)))
    with open(os.path.join(out, 'summary.csv'), 'w', newline='') as f:
        w = csv.DictWriter(f, ['norm', 'batch_size', 'depth', 'init', 'point', 'seeds', 'n', 'mean', 'std', 'per_seed'],
                           extrasaction='ignore')
        w.writeheader()
        w.writerows(rows)
    attacks = sorted({t['attack'] for t in trials} - {'none'})
    md = ['# PyTorch parity: %s, no attack%s' % (name, ''.join(', ' + a for a in attacks)), ''] + header_lines + [
        '', '| norm | batch | depth | init | grid point | final val acc per seed | mean ± std (n−1) |',
        '|---|---:|---:|---|---|---|---|']
    md += ['| %s | %s | %s | %s | %s | %s | %s |' % (r['norm'], r['batch_size'], r['depth'], r['init'], r['point'],
                                                    ', '.join('%s: %s' % p for p in zip(r['seeds'].split(), r['per_seed'].split())),
                                                    r['text']) for r in rows]
    with open(os.path.join(out, 'parity.md'), 'w') as f:
        f.write('\n'.join(md) + '\n')
    return '\n'.join(md)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('sweep', help='the sweep file, e.g. sweeps/noise.yaml')
    p.add_argument('--set', action='append', default=[], metavar='KEY=VALUE', help='as NormLab\'s --set')
    p.add_argument('--defaults', default=DEFAULTS, help='NormLab\'s defaults.yaml (default: experiments\')')
    p.add_argument('--norms', default='bn,iebn', help='norm.name values to run: bn, iebn, gn (default bn,iebn; iebn '
                   'includes iebn with gate: fixed, e.g. noise.yaml\'s iebn_fixed; gn takes its groups, eps, strict)')
    p.add_argument('--constant', action='store_true', help='also the constant attack at its strongest dose (the '
                   'grid\'s largest attack.options.b) for the same norms')
    p.add_argument('--out', help='output folder (default runs/<name>-pytorch-parity)')
    p.add_argument('--threads', type=int, default=2, help='torch threads (default 2)')
    p.add_argument('--shard', default='1/1', metavar='K/N', help='train only part K of N of the trials (1-based; '
                   'default 1/1: all), balanced by estimated cost as NormLab\'s --parallel N balances them')
    p.add_argument('--dry-run', action='store_true', help='print the trials and their recipe, train nothing')
    p.add_argument('--verbose', action='store_true', help='stack traces on errors')
    a = p.parse_args(argv)
    try:
        shard, shards = (int(v) for v in a.shard.split('/'))
        if not 1 <= shard <= shards:
            raise ValueError
    except ValueError:
        sys.exit('noise_parity.py: --shard %s: expected K/N with 1 <= K <= N, e.g. 1/2' % a.shard)
    try:
        name, seeds, points = load_points(a.sweep, a.set, a.defaults, a.norms.split(','), a.constant)
    except RecipeError as e:
        if a.verbose:
            raise
        sys.exit('noise_parity.py: %s' % e)
    torch.set_num_threads(a.threads)
    init = sorted({r['model']['init'] for _, r in points})
    header = ['Recipe from `%s` (%s) with defaults `%s`%s; %d seeds %s.' % (
                  a.sweep, name, os.path.relpath(a.defaults, ROOT), ''.join(' --set ' + s for s in a.set), len(seeds), seeds),
              '**Convolution init (model.init): %s** (fan_out = kaiming_normal_ fan_out relu as torchvision; '
              'pytorch = nn.Conv2d default); classifier: nn.Linear default.' % ', '.join(init),
              'torch %s, %d threads, %s, %s; commit %s.' % (torch.__version__, torch.get_num_threads(), platform.node(),
                                                           time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), commit())]
    for label, r in points:
        d, o = r['data'], r['optimizer']
        print('%s: norm %s%s, batch %d, depth %d, init %s, %d steps (%s), train_subset %s, val_subset %s, size %s, '
              'lr %s (scaling %s), momentum %s, wd %s, schedule %s' % (
                  label, r['norm']['name'], ''.join(' %s %s' % kv for kv in (r['norm']['options'] or {}).items())
                  + (' under constant(a=%s, b=%s, eval=%s)' % constant_attack(r) if constant_attack(r) else ''), d['batch_size'], r['model']['depth'], r['model']['init'], planned_steps(r),
                  ('steps budget' if r['steps'] else 'epochs %d' % r['epochs']), d['train_subset'], d['val_subset'],
                  d['size'], o['lr'], o['lr_scaling'], o['momentum'], o['weight_decay'], r['schedule']['name']),
              file=sys.stderr)
    runs = shard_of([(seed, point) for seed in seeds for point in points], shard, shards)
    if a.dry_run:
        print('%d trials (%d points x %d seeds)%s; --dry-run: nothing trained' % (
            len(points) * len(seeds), len(points), len(seeds),
            '' if shards == 1 else ', %d of them in shard %d/%d' % (len(runs), shard, shards)))
        return
    try:
        raw = normlab_data.fashion_mnist(points[0][1]['data']['path'] or FASHION)
    except (FileNotFoundError, ValueError) as e:
        sys.exit('noise_parity.py: %s' % e)
    trials, cache = [], {}
    for seed, (label, r) in runs:
        d = r['data']
        key = (seed, d['train_subset'], d['val_subset'], d['channels'], d['size'], str(d['normalize']))
        if key not in cache:
            cache.clear()
            cache[key] = TrialData(d, seed, raw)
        start = time.time()
        acc, steps, status = train_trial(r, seed, cache[key])
        trials.append(dict(norm=norm_label(r), attack=attack_label(r), batch_size=d['batch_size'], depth=r['model']['depth'],
                           init=r['model']['init'], point=label, seed=seed, final_val_acc=acc, steps=steps,
                           status=status, wall_s='%.1f' % (time.time() - start)))
        print('%s seed %d: %s after %d steps, final_val_acc %.4f (%.0f s)'
              % (label, seed, status, steps, acc, time.time() - start), file=sys.stderr)
    out = a.out or os.path.join(ROOT, 'runs', name + '-pytorch-parity')
    print(write_outputs(out, name, trials, header))
    print('wrote %s/{parity.md,parity.csv,summary.csv}' % out, file=sys.stderr)


def norm_label(r):
    """The norm as NormLab's results.csv names it: a named norm axis' label (iebn_fixed), else norm.name."""
    return str(r['_labels'].get('norm', r['norm']['name']))


def attack_label(r):
    """The attack as results.csv names it: a named attack axis' label (constant-1), else attack.name."""
    return str(r['_labels'].get('attack', r['attack']['name']))


def shard_of(runs, shard, shards):
    """Shard K of N of the (seed, point) runs, in run order, balanced as NormLab's --parallel and
    --shard balance trials (Shard.balance: costliest first, each to the least loaded shard, the
    lowest-numbered on a tie) on the training part of NormLab's settings-only estimate (Estimate.of:
    images trained, x1.9 below batch 32, times the network's relative cost)."""
    def cost(run):
        r = run[1][1]
        b = r['data']['batch_size']
        return planned_steps(r) * b * (1.9 if b < 32 else 1.0) * max(1, r['model']['depth'] - 2)
    load, owner = [0.0] * shards, {}
    for i in sorted(range(len(runs)), key=lambda i: -cost(runs[i])):  # sorted is stable
        least = load.index(min(load))
        load[least] += cost(runs[i])
        owner[i] = least
    return [run for i, run in enumerate(runs) if owner[i] == shard - 1]


def planned_steps(r):
    """Optimizer steps of a trial: S, or epochs x batches (the last partial one dropped when two fit)."""
    if r['steps']:
        return r['steps']
    n, b = r['data']['train_subset'] or 60000, r['data']['batch_size']
    return r['epochs'] * (n // b if n >= 2 * b else math.ceil(n / b))


def commit():
    try:
        return subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


if __name__ == '__main__':
    main(sys.argv[1:])
