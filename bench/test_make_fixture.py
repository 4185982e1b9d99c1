#!/usr/bin/env python3
"""Checks bench/make_fixture.py against the fixtures it must agree with (run with Debian's
python3-torch: /usr/bin/python3 bench/test_make_fixture.py):
- from the inputs of ../shared/fixtures/norm-reference/bn.json (norm-api's bn.json), the
  generator's BatchNorm2d fixture has the same train and eval values: same semantics;
- the reference modules written here reduce to torch's own where they must: Batch Renorm with
  r_max = 1, d_max = 0 is BatchNorm2d (values and gradients); EvoNorm S0 without activation,
  FRN without activation and B0 without activation are affine maps of known form."""
import json
import os
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import make_fixture  # noqa: E402


def generate(*argv):
    out = os.path.join(tempfile.mkdtemp(), 'f.json')
    subprocess.run([sys.executable, os.path.join(HERE, 'make_fixture.py'), *argv, '--out', out], check=True)
    with open(out) as f:
        return json.load(f)


def close(a, b, what):
    a, b = torch.tensor(a), torch.tensor(b)
    assert a.shape == b.shape and torch.allclose(a, b, rtol=1e-7, atol=1e-8), what
    return 1


def test_bn_reproduces_the_shared_fixture():
    shared = os.path.join(ROOT, 'norm-api/src/test/resources/fixtures/bn.json')
    with open(shared) as f:
        ref = json.load(f)
    new = generate('--module', 'torch.nn.BatchNorm2d(3)', '--shape', '4,3,5,5', '--kind', 'bn', '--inputs-from', shared)
    checked = 0
    for key in ('y', 'grad_x', 'grad_gamma', 'grad_beta', 'running_mean_after', 'running_var_after'):
        checked += close(new['train'][key], ref['train'][key], 'train.' + key)
    checked += close(new['eval']['y'], ref['eval']['y'], 'eval.y')
    assert checked == 7 and set(new['train']) == set(ref['train'])
    assert new['eps'] == ref['eps'] and new['momentum_pytorch'] == ref['momentum_pytorch']


def test_batch_renorm_without_room_is_batch_norm():
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(3)
    brn = make_fixture.BatchRenorm2d(4, r_max=1.0, d_max=0.0)
    bn = torch.nn.BatchNorm2d(4)
    x = torch.randn(3, 4, 5, 5) * 2 + 1
    up = torch.randn(3, 4, 5, 5)
    grads = []
    for m in (brn, bn):
        xi = x.clone().requires_grad_(True)
        y = m(xi)
        (y * up).sum().backward()
        grads.append((y, xi.grad, m.running_mean.clone(), m.running_var.clone()))
    for a, b in zip(*grads):
        assert torch.allclose(a, b, atol=1e-10)


def test_batch_renorm_clips_and_stops_gradients():
    torch.set_default_dtype(torch.float64)
    brn = make_fixture.BatchRenorm2d(1, r_max=1.5, d_max=0.5)
    x = (torch.arange(8.0).reshape(2, 1, 2, 2) * 3).requires_grad_(True)
    y = brn(x)
    # running var 1: sigma_B = std(x) (about 6.9) so r = 1.5; running mean 0: d = 0.5.
    mean, std = x.mean(), (x.var(unbiased=False) + 1e-5).sqrt()
    assert torch.allclose(y, (x - mean) / std * 1.5 + 0.5)
    y.sum().backward()
    # With r and d constant, sum(y) does not depend on x: the gradient is zero.
    assert torch.allclose(x.grad, torch.zeros_like(x), atol=1e-12)


def test_without_activation_the_act_layers_are_affine_or_normalizing():
    torch.set_default_dtype(torch.float64)
    x = torch.randn(2, 4, 3, 3)
    b0 = make_fixture.EvoNorm2dB0(4, apply_act=False)
    assert torch.allclose(b0(x), x)
    s0 = make_fixture.EvoNorm2dS0(4, groups=2, apply_act=False)
    assert torch.allclose(s0(x), x)
    frn = make_fixture.FilterResponseNormTlu2d(4, apply_act=False)
    assert torch.allclose(frn(x), x / (x.square().mean(dim=(2, 3), keepdim=True) + 1e-6).sqrt())
    assert frn.tau is None and b0.v is None and s0.v is None


def test_s0_with_one_group_per_channel_uses_instance_std():
    torch.set_default_dtype(torch.float64)
    x = torch.randn(2, 4, 3, 3)
    assert torch.allclose(make_fixture.group_std(x, 4), make_fixture.instance_std(x))


def test_init_records_deterministic_parameters_and_names_random_ones():
    dyt = generate('--module', 'DynamicTanh2d(3, alpha_init=0.25)', '--shape', '2,3,2,2', '--kind', 'dyt',
                   '--options', '{"alpha_init": 0.25}')
    assert dyt['init'] == {'alpha': [0.25], 'gamma': [1.0, 1.0, 1.0], 'beta': [0.0, 0.0, 0.0]}, dyt['init']
    assert 'init_random' not in dyt and dyt['alpha'] != [0.25]  # the fixture's own alpha is perturbed
    conv = generate('--module', 'torch.nn.Conv2d(3, 3, 1)', '--shape', '2,3,2,2')
    assert conv['init'] == {} and sorted(conv['init_random']) == ['beta', 'gamma'], conv
    # Recording init leaves every other value as it was: the same inputs as without it.
    plain = generate('--module', 'DynamicTanh2d(3, alpha_init=0.25)', '--shape', '2,3,2,2', '--seed', '7')
    assert plain['x'] == dyt['x'] and plain['alpha'] == dyt['alpha']


def test_mean_only_batch_norm_keeps_only_a_running_mean():
    torch.set_default_dtype(torch.float64)
    m = make_fixture.MeanOnlyBatchNorm2d(2, momentum=0.5)
    x = torch.randn(3, 2, 2, 2)
    y = m(x)
    assert torch.allclose(y, x - x.mean(dim=(0, 2, 3)).view(1, -1, 1, 1))
    assert torch.allclose(m.running_mean, 0.5 * x.mean(dim=(0, 2, 3)))
    assert [n for n, _ in m.named_buffers()] == ['running_mean']


if __name__ == '__main__':
    tests = [v for k, v in sorted(globals().items()) if k.startswith('test_')]
    for t in tests:
        t()
        print('ok', t.__name__)
    print('%d tests passed' % len(tests))
