#!/usr/bin/env python3
"""Checks bench/noise_parity.py and its helpers (run with Debian's python3-torch from the
repository root: /usr/bin/python3 bench/test_noise_parity.py; ~1 min on 2 cores):
- normlab_data against the JDK's SplittableRandom and NormLab's own data classes
  (bench/NormLabDataReference.java on data/target/classes, compiled offline if missing): the
  same random numbers, the same subset indices of Fashion-MNIST, the same mean/std, the same
  resized and normalized pixels;
- the model against published parameter counts (CIFAR ResNet-20, option A: 269,722 with bn,
  +2 per norm channel with iebn, as NormLab's ParameterCountTest) and the two inits' spreads;
- the recipe: grid expansion, the no-attack filter, --set, exclude, the cosine per step, and
  refusals with their key and line;
- end to end: a tiny run writes one row per norm x batch with the step counts NormLab takes, and
  one epoch of bn on 2,000 images learns (a misaligned label or pixel order would stay near 0.1)."""
import csv
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import normlab_data  # noqa: E402
import normlab_recipe  # noqa: E402
import noise_parity  # noqa: E402

FASHION = '/usr/share/datasets/fashion-mnist'
_reference = []


def java_reference():
    """NormLabDataReference's lines, keyed by their first two words."""
    if not _reference:
        classes = os.path.join(ROOT, 'data/target/classes')
        if not os.path.isdir(os.path.join(classes, 'org/normlab/data')):
            subprocess.run(['mvn', '-B', '-o', '-q', '-pl', 'data', 'compile'], cwd=ROOT, check=True)
        out = subprocess.run(['java', '-cp', classes, os.path.join(HERE, 'NormLabDataReference.java')],
                             capture_output=True, text=True, check=True).stdout
        _reference.append({tuple(l.split()[:2]): l.split()[2:] for l in out.splitlines()})
    return _reference[0]


def test_splittable_random_is_the_jdks():
    ref = java_reference()
    checked = 0
    for seed in (1, 42, -7):
        r = normlab_data.SplittableRandom(seed)
        got = [str(r.next_int(b)) for b in (2, 10, 16, 1_500_000_001, 1 << 30, 1_999_999_999, 7, 3) for _ in range(4)]
        got += [str(r.next_int()), str(r.next_long())] + [repr(r.next_double()) for _ in range(4)]
        assert got == ref[('rng', str(seed))], seed
        checked += 1
    assert checked == 3


def test_subsets_statistics_and_pixels_are_normlabs():
    ref = java_reference()
    train_x, train_y, test_x, test_y = normlab_data.fashion_mnist(FASHION)
    checked = 0
    for seed in (1, 2):
        train = normlab_data.subset_indices(train_y, 2000, 10, seed)
        assert train == [int(v) for v in ref[('train', str(seed))]]
        assert np.bincount(train_y[train], minlength=10).tolist() == [200] * 10  # stratified
        assert normlab_data.subset_indices(test_y, 1000, 10, seed) == [int(v) for v in ref[('test', str(seed))]]
        mean, std = normlab_data.channel_statistics(train_x[train])
        assert abs(mean[0] - float(ref[('stats', str(seed))][0])) < 1e-15
        assert abs(std[0] - float(ref[('stats', str(seed))][1])) < 1e-15
        pixels = ref[('pipeline', str(seed))]
        x = normlab_data.to_input(train_x[train][:3], mean, std, int(pixels[0]))
        java = torch.tensor([float(v) for v in pixels[1:]]).view(3, 1, 32, 32)
        assert x.shape == (3, 1, 32, 32) and torch.allclose(x, java, atol=2e-6, rtol=0)
        checked += 1
    assert checked == 2
    assert normlab_data.subset_indices(train_y, 2000, 10, 1) != normlab_data.subset_indices(train_y, 2000, 10, 2)


def recipe(**data):
    r = normlab_recipe.yaml.safe_load(open(noise_parity.DEFAULTS))
    r['model']['shortcut'] = 'A'
    r['data'].update(data)
    return r


def test_resnet20_parameters_and_inits():
    def count(net):
        return sum(p.numel() for p in net.parameters() if p.requires_grad)
    r = recipe()
    assert count(noise_parity.build_model(r, 3)) == 269_722
    r['norm']['name'] = 'iebn'
    assert count(noise_parity.build_model(r, 3)) == 271_098
    torch.manual_seed(0)
    convs = [m for m in noise_parity.build_model(r, 1).modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 19
    # the 32 -> 64 convolution: fan_out 64 * 9, fan_in 32 * 9, so the two inits and a fan_in
    # Kaiming (std sqrt(2 / 288)) all differ
    w = convs[13].weight
    assert w.shape == (64, 32, 3, 3) and abs(w.std().item() / math.sqrt(2 / 576) - 1) < 0.03
    r['model']['init'] = 'pytorch'
    w = [m for m in noise_parity.build_model(r, 1).modules() if isinstance(m, nn.Conv2d)][13].weight
    bound = 1 / math.sqrt(288)
    assert w.abs().max().item() <= bound and abs(w.std().item() / (bound / math.sqrt(3)) - 1) < 0.03
    r['norm']['options'] = {'eps': 1e-3, 'momentum': 0.01}
    bns = [m for m in noise_parity.build_model(r, 1).modules() if isinstance(m, nn.BatchNorm2d)]
    assert len(bns) == 19 and all(m.eps == 1e-3 and m.momentum == 0.01 for m in bns)


SWEEP = """name: t
seeds: [1, 2]
epochs: 2
data: {train_subset: 2000, val_subset: 1000}
model: {depth: 20, shortcut: A}
optimizer: {lr: 0.05, momentum: 0.9, weight_decay: 0.0005}
schedule: {name: cosine}
grid:
  norm.name: [bn, iebn, gn]
  attack:
    none: {}
    weak: {attack.name: constant, attack.options: {a: 1.25}}
    mix: {data.name: mix}
  data.batch_size: [16, 128]
exclude:
  - {norm.name: iebn, data.batch_size: 16}
"""


def sweep_file(text=SWEEP):
    path = os.path.join(tempfile.mkdtemp(), 'sweep.yaml')
    with open(path, 'w') as f:
        f.write(text)
    return path


def test_recipe_points_sets_and_exclude():
    name, seeds, points = normlab_recipe.load_points(sweep_file(), [], noise_parity.DEFAULTS, ['bn', 'iebn'])
    got = [(r['norm']['name'], r['data']['batch_size']) for _, r in points]
    assert (name, seeds) == ('t', [1, 2]) and got == [('bn', 16), ('bn', 128), ('iebn', 128)]
    r = points[0][1]
    assert r['attack']['name'] == 'none' and r['optimizer']['lr'] == 0.05 and r['optimizer']['name'] == 'sgd'
    assert r['model']['init'] == 'fan_out' and r['data']['val_batch_size'] == 256  # from defaults.yaml
    sets = ['seeds=[3]', 'grid.data.batch_size=[32]', 'model.init=pytorch', 'epochs=1']
    _, seeds, points = normlab_recipe.load_points(sweep_file(), sets, noise_parity.DEFAULTS, ['bn', 'iebn'])
    assert seeds == [3] and [(r['norm']['name'], r['data']['batch_size'], r['model']['init'], r['epochs'])
                             for _, r in points] == [('bn', 32, 'pytorch', 1), ('iebn', 32, 'pytorch', 1)]


def test_cosine_per_step_as_normlab():
    r = recipe(batch_size=128)
    r.update(epochs=2)
    r['schedule']['name'], r['optimizer']['lr'] = 'cosine', 0.05
    lr = normlab_recipe.lr_schedule(r)
    assert lr(0, 0.0) == 0.05 and abs(lr(1, 0.0) - 0.025) < 1e-15  # start, half-way
    assert abs(lr(1, 1920 / 2000) - 0.05 * 0.5 * (1 + math.cos(math.pi * 3920 / 4000))) < 1e-15
    r.update(steps=30)
    assert abs(normlab_recipe.lr_schedule(r)(15, 0) - 0.025) < 1e-15  # steps budget: per step over S
    r['optimizer']['lr_scaling'] = 'linear'
    r['data']['batch_size'] = 16
    assert abs(normlab_recipe.lr_schedule(r)(0, 0) - 0.05 / 8) < 1e-15


CONSTANT_SWEEP = """name: c
seeds: [1]
epochs: 1
data: {train_subset: 200, val_subset: 100}
model: {depth: 8, shortcut: A}
grid:
  norm:
    bn: {norm.name: bn}
    iebn: {norm.name: iebn}
    iebn_fixed: {norm.name: iebn, norm.options: {gate: fixed}}
    gn: {norm.name: gn}
  attack:
    none: {}
    constant-0.5: {attack.name: constant, attack.options: {a: 1.5, b: 0.5, eval: true}}
    constant-1: {attack.name: constant, attack.options: {a: 2.0, b: 1.0, eval: true}}
  data.batch_size: [16]
exclude:
  - {norm: gn, attack.name: constant}
"""


def test_recipe_adds_the_strongest_constant_dose_only_when_asked():
    _, _, plain = normlab_recipe.load_points(sweep_file(CONSTANT_SWEEP), [], noise_parity.DEFAULTS, ['bn', 'iebn'])
    assert [noise_parity.norm_label(r) + '/' + noise_parity.attack_label(r) for _, r in plain] == [
        'bn/none', 'iebn/none', 'iebn_fixed/none']
    _, _, points = normlab_recipe.load_points(sweep_file(CONSTANT_SWEEP), [], noise_parity.DEFAULTS, ['bn', 'iebn'], True)
    got = [noise_parity.norm_label(r) + '/' + noise_parity.attack_label(r) for _, r in points]
    assert got == ['bn/none', 'iebn/none', 'iebn_fixed/none', 'bn/constant-1', 'iebn/constant-1',
                   'iebn_fixed/constant-1'], got
    assert normlab_recipe.constant_attack(points[-1][1]) == (2.0, 1.0, True)
    assert points[-1][1]['norm']['options'] == {'gate': 'fixed'}


def test_the_constant_hook_is_normlabs_attack_before_the_affine():
    torch.manual_seed(3)
    x = (0.5 + 2 * torch.randn(4, 3, 5, 5, dtype=torch.float64))
    mean = x.mean(dim=(0, 2, 3), keepdim=True)
    var = x.var(dim=(0, 2, 3), unbiased=False, keepdim=True)
    x_hat = (x - mean) / torch.sqrt(var + 1e-5)
    bn = nn.BatchNorm2d(3).double()
    with torch.no_grad():
        bn.weight.copy_(torch.tensor([0.5, 1.5, -2.0]))
        bn.bias.copy_(torch.tensor([0.1, -0.3, 0.7]))
    bn.register_forward_hook(noise_parity.constant_hook(2.0, 1.0, False))
    g, b = bn.weight.view(1, -1, 1, 1), bn.bias.view(1, -1, 1, 1)
    assert torch.allclose(bn(x), g * (2.0 * x_hat + 1.0) + b, atol=1e-12)
    bn.eval()  # eval: false leaves evaluation clean
    clean = (x - bn.running_mean.view(1, -1, 1, 1)) / torch.sqrt(bn.running_var.view(1, -1, 1, 1) + 1e-5)
    assert torch.allclose(bn(x), g * clean + b, atol=1e-12)
    # iebn with its gate fixed: the attacked x_hat times sigmoid(-1) * gamma, plus beta; w and b get no gradient
    r = recipe()
    r['norm'] = {'name': 'iebn', 'options': {'gate': 'fixed'}}
    r['attack'] = {'name': 'constant', 'options': {'a': 2.0, 'b': 1.0, 'eval': True}}
    net = noise_parity.build_model(r, 3).double()
    iebn = [m for m in net.modules() if isinstance(m, noise_parity.IEBN)]
    assert len(iebn) == 19 and all(not m.w.requires_grad and not m.b.requires_grad for m in iebn)
    x16 = 0.5 + 2 * torch.randn(4, 16, 5, 5, dtype=torch.float64)  # the stem's iebn has 16 channels
    x16_hat = (x16 - x16.mean(dim=(0, 2, 3), keepdim=True)) / torch.sqrt(
        x16.var(dim=(0, 2, 3), unbiased=False, keepdim=True) + 1e-5)
    assert torch.allclose(iebn[0](x16), (2.0 * x16_hat + 1.0) * (1 / (1 + math.exp(1))), atol=1e-12)
    # the optimizer gets only trainable parameters: 16 + 16 + ... channels of w and b fewer than iebn's
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    assert trainable == sum(p.numel() for p in net.parameters()) - 2 * sum(m.w.numel() for m in iebn)


def run(*args):
    return subprocess.run([sys.executable, os.path.join(HERE, 'noise_parity.py'), *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_unsupported_settings_are_refused_with_where():
    p = run(sweep_file(SWEEP.replace('model: {depth: 20, shortcut: A}', 'model:\n  depth: 20\n  name: resnet')), '--dry-run')
    assert p.returncode != 0 and 'Traceback' not in p.stderr
    assert 'sweep.yaml:7:3: model.name' in p.stderr and 'cifar_resnet' in p.stderr, p.stderr
    p = run(sweep_file(), '--dry-run', '--set', 'data.augment.flip=true')
    assert p.returncode != 0 and '--set data.augment.flip=true: data.augment.flip' in p.stderr, p.stderr
    p = run(sweep_file(), '--dry-run', '--set', 'grid.model.depth=[21]')
    assert p.returncode != 0 and 'model.depth' in p.stderr and '6n+2' in p.stderr, p.stderr


def test_tiny_run_writes_a_row_per_norm_and_batch():
    out = tempfile.mkdtemp()
    p = run(sweep_file(), '--set', 'seeds=[1]', '--set', 'epochs=1', '--set', 'data.train_subset=200',
            '--set', 'data.val_subset=100', '--set', 'model.depth=8', '--threads', '1', '--out', out)
    assert p.returncode == 0, p.stderr
    with open(os.path.join(out, 'parity.csv')) as f:
        rows = list(csv.DictReader(f))
    # 200 images: batch 16 drops the last partial batch (12 steps), 128 keeps it (2 steps), as NormLab
    assert [(r['norm'], r['batch_size'], r['steps'], r['depth']) for r in rows] == [
        ('bn', '16', '12', '8'), ('bn', '128', '2', '8'), ('iebn', '128', '2', '8')]
    assert all(0 <= float(r['final_val_acc']) <= 1 and r['status'] == 'completed' for r in rows)
    md = open(os.path.join(out, 'parity.md')).read()
    assert 'model.init): fan_out' in md and md.count('\n| bn |') == 2 and md.count('\n| iebn |') == 1


def test_tiny_run_with_the_constant_attack_names_norm_and_attack_as_results_csv():
    out = tempfile.mkdtemp()
    p = run(sweep_file(CONSTANT_SWEEP), '--constant', '--threads', '1', '--out', out)
    assert p.returncode == 0, p.stderr
    with open(os.path.join(out, 'parity.csv')) as f:
        rows = list(csv.DictReader(f))
    assert [(r['norm'], r['attack'], r['steps']) for r in rows] == [
        ('bn', 'none', '12'), ('iebn', 'none', '12'), ('iebn_fixed', 'none', '12'),
        ('bn', 'constant-1', '12'), ('iebn', 'constant-1', '12'), ('iebn_fixed', 'constant-1', '12')], rows
    assert all(r['status'] == 'completed' for r in rows)
    assert open(os.path.join(out, 'parity.md')).readline().strip() == '# PyTorch parity: c, no attack, constant-1'


def test_one_epoch_of_bn_learns():
    out = tempfile.mkdtemp()
    p = run(sweep_file(), '--set', 'seeds=[1]', '--set', 'epochs=1', '--set', 'grid.norm.name=[bn]',
            '--set', 'grid.data.batch_size=[32]', '--set', 'model.depth=8', '--set', 'data.val_subset=500',
            '--threads', '2', '--out', out)
    assert p.returncode == 0, p.stderr
    with open(os.path.join(out, 'parity.csv')) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1 and rows[0]['steps'] == '62' and float(rows[0]['final_val_acc']) > 0.45, rows


if __name__ == '__main__':
    tests = [v for k, v in sorted(globals().items()) if k.startswith('test_')]
    for t in tests:
        t()
        print('ok', t.__name__)
    print('%d tests passed' % len(tests))
