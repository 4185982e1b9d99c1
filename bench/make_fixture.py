#!/usr/bin/env python3
"""Writes a conformance fixture for a norm layer: PyTorch reference values in float64.

    /usr/bin/python3 bench/make_fixture.py --module 'torch.nn.GroupNorm(4, 8)' --shape 2,8,5,5 \
        --kind gn --options '{"groups": 4}' --out gn.json

--module is a Python expression that builds the layer. It sees `torch`, `nn` and the reference
modules defined below (BatchRenorm2d, FilterResponseNormTlu2d, EvoNorm2dB0, EvoNorm2dS0,
DynamicTanh2d, MeanOnlyBatchNorm2d), or,
written `package.module:expression`, the names of your own importable module
(`mynorm:MyNorm(8)` with mynorm.py on PYTHONPATH).

The fixture (read by NormLab's ReferenceFixture, checked by ConformanceKit / verify-norm):
  kind, shape, options       the norm's name and the options the Java layer is built with
  eps, momentum_pytorch      the module's own eps / momentum where it has them (applied to the
                             Java norm only where it declares such an option)
  apply_act                  false when --apply-act false (a norm+activation layer without it)
  x, upstream_grad           inputs, flat row-major
  running_<s>_before         each running_* buffer of the module (none for GroupNorm & co)
  <parameter>                every parameter; weight is named gamma, bias beta
  train                      y, grad_x, grad_<parameter>, running_<s>_after of one training
                             step with loss = sum(y * upstream_grad)
  eval                       y in eval mode with the running statistics from before the step
  init                       every parameter as the constructor initialises it (with the options
                             given), where that is deterministic: the kit checks the Java layer's
                             fresh parameters against it, so an ignored alpha_init fails
  init_random                the parameters with a random initialisation: name -> why not checked
Parameters start at the module's initial values plus N(0, 0.3^2) noise, running means at
N(0, 0.5^2), running variances uniform in [0.5, 2], x at 0.5 + 2 N(0, 1): so that a layer that
ignores a parameter or a running statistic fails.
"""
import argparse
import importlib
import json
import sys

import torch
import torch.nn as nn


class BatchRenorm2d(nn.Module):
    """Batch Renormalization (Ioffe 2017, Algorithm 1): in training
    x_hat = (x - mu_B) / sigma_B * r + d with r = clip(sigma_B / sigma, 1/r_max, r_max) and
    d = clip((mu_B - mu) / sigma, -d_max, d_max) held constant in backward; sigma =
    sqrt(running_var + eps), sigma_B = sqrt(biased batch var + eps). Running statistics as
    BatchNorm2d (unbiased variance, PyTorch momentum), updated after r and d are taken. Eval:
    BatchNorm2d's."""

    def __init__(self, num_features, r_max=3.0, d_max=5.0, eps=1e-5, momentum=0.1):
        super().__init__()
        self.r_max, self.d_max, self.eps, self.momentum = r_max, d_max, eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer('running_mean', torch.zeros(num_features))
        self.register_buffer('running_var', torch.ones(num_features))

    def forward(self, x):
        v = (1, -1, 1, 1)
        if self.training:
            mean = x.mean(dim=(0, 2, 3))
            var = x.var(dim=(0, 2, 3), unbiased=False)
            std = (var + self.eps).sqrt()
            running_std = (self.running_var + self.eps).sqrt()
            r = (std.detach() / running_std).clamp(1 / self.r_max, self.r_max)
            d = ((mean.detach() - self.running_mean) / running_std).clamp(-self.d_max, self.d_max)
            x_hat = (x - mean.view(v)) / std.view(v) * r.view(v) + d.view(v)
            n = x.numel() / x.shape[1]
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            x_hat = (x - self.running_mean.view(v)) / (self.running_var.view(v) + self.eps).sqrt()
        return x_hat * self.weight.view(v) + self.bias.view(v)


class FilterResponseNormTlu2d(nn.Module):
    """FRN with its TLU (Singh & Krishnan 2020): y = max(gamma * x / sqrt(mean_hw(x^2) + eps)
    + beta, tau); without the activation (timm's apply_act=False) there is no tau."""

    def __init__(self, num_features, apply_act=True, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.tau = nn.Parameter(torch.zeros(num_features)) if apply_act else None

    def forward(self, x):
        v = (1, -1, 1, 1)
        nu2 = x.square().mean(dim=(2, 3), keepdim=True)
        y = x * (nu2 + self.eps).rsqrt() * self.weight.view(v) + self.bias.view(v)
        return torch.maximum(y, self.tau.view(v)) if self.tau is not None else y


# The two EvoNorms as timm's timm/layers/evo_norm.py (EvoNorm2dB0, EvoNorm2dS0, group_std,
# instance_std), ported without the dtype casts (float64 throughout).

def instance_std(x, eps=1e-5):
    return x.var(dim=(2, 3), unbiased=False, keepdim=True).add(eps).sqrt().expand(x.shape)


def group_std(x, groups=32, eps=1e-5):
    b, c, h, w = x.shape
    assert c % groups == 0
    g = x.reshape(b, groups, c // groups, h, w)
    std = g.var(dim=(2, 3, 4), unbiased=False, keepdim=True).add(eps).sqrt()
    return std.expand(g.shape).reshape(b, c, h, w)


class EvoNorm2dB0(nn.Module):
    def __init__(self, num_features, apply_act=True, momentum=0.1, eps=1e-3):
        super().__init__()
        self.momentum = momentum
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.v = nn.Parameter(torch.ones(num_features)) if apply_act else None
        self.register_buffer('running_var', torch.ones(num_features))

    def forward(self, x):
        v_shape = (1, -1, 1, 1)
        if self.v is not None:
            if self.training:
                var = x.var(dim=(0, 2, 3), unbiased=False)
                n = x.numel() / x.shape[1]
                self.running_var.copy_(
                    self.running_var * (1 - self.momentum) + var.detach() * self.momentum * (n / (n - 1)))
            else:
                var = self.running_var
            left = var.add(self.eps).sqrt().view(v_shape).expand_as(x)
            right = x * self.v.view(v_shape) + instance_std(x, self.eps)
            x = x / left.max(right)
        return x * self.weight.view(v_shape) + self.bias.view(v_shape)


class EvoNorm2dS0(nn.Module):
    def __init__(self, num_features, groups=32, apply_act=True, eps=1e-5):
        super().__init__()
        self.groups = groups
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.v = nn.Parameter(torch.ones(num_features)) if apply_act else None

    def forward(self, x):
        v_shape = (1, -1, 1, 1)
        if self.v is not None:
            x = x * (x * self.v.view(v_shape)).sigmoid() / group_std(x, self.groups, self.eps)
        return x * self.weight.view(v_shape) + self.bias.view(v_shape)


class DynamicTanh2d(nn.Module):
    """Dynamic Tanh (Zhu et al. 2025): y = tanh(alpha * x) * weight + bias, one learnable scalar
    alpha (initialised to alpha_init) and per-channel weight and bias; no statistics at all."""

    def __init__(self, num_features, alpha_init=0.5):
        super().__init__()
        self.alpha = nn.Parameter(torch.ones(1) * alpha_init)
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))

    def forward(self, x):
        v = (1, -1, 1, 1)
        return torch.tanh(self.alpha * x) * self.weight.view(v) + self.bias.view(v)


class MeanOnlyBatchNorm2d(nn.Module):
    """Mean-only batch normalization (Salimans & Kingma 2016): y = x - mu + bias, mu the batch
    mean in training (the running mean updated as BatchNorm2d's, PyTorch momentum) and the
    running mean in eval; no variance, no eps, no running_var."""

    def __init__(self, num_features, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer('running_mean', torch.zeros(num_features))

    def forward(self, x):
        v = (1, -1, 1, 1)
        if self.training:
            mean = x.mean(dim=(0, 2, 3))
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
        else:
            mean = self.running_mean
        return x - mean.view(v) + self.bias.view(v)


REFERENCES = {c.__name__: c for c in (BatchRenorm2d, FilterResponseNormTlu2d, EvoNorm2dB0, EvoNorm2dS0,
                                      DynamicTanh2d, MeanOnlyBatchNorm2d)}
NAMES = {'weight': 'gamma', 'bias': 'beta'}


def build(expression):
    scope = {'torch': torch, 'nn': nn, **REFERENCES}
    head, sep, tail = expression.partition(':')
    if sep and head.replace('.', '').replace('_', '').isalnum():
        module = importlib.import_module(head)
        scope.update(vars(module))
        expression = tail
    return eval(expression, scope)  # the user's own constructor expression


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def running_buffers(module):
    """The running_* buffers of floating type, by name without the prefix (mean, var)."""
    return {name[len('running_'):]: b for name, b in module.named_buffers()
            if name.startswith('running_') and b is not None and b.is_floating_point()}


def make(args):
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(args.seed)
    module = build(args.module).double()
    init, init_random = initial_parameters(module, args.module, args.seed)
    shape = [int(d) for d in args.shape.split(',')]
    x = (0.5 + 2 * torch.randn(shape)).requires_grad_(True)
    upstream = torch.randn(shape)
    params = dict(module.named_parameters())
    with torch.no_grad():
        for p in params.values():
            p.add_(0.3 * torch.randn_like(p))
        for stat, b in running_buffers(module).items():
            b.copy_(0.5 + 1.5 * torch.rand_like(b) if 'var' in stat else 0.5 * torch.randn_like(b))
    if args.inputs_from:
        x, upstream = take_inputs(args.inputs_from, shape, params, running_buffers(module))
    before = {stat: b.clone() for stat, b in running_buffers(module).items()}

    module.train()
    y = module(x)
    (y * upstream).sum().backward()
    train = {'y': flat(y), 'grad_x': flat(x.grad)}
    for name, p in params.items():
        train['grad_' + fixture_name(name)] = flat(p.grad) if p.grad is not None else [0.0] * p.numel()
    for stat, b in running_buffers(module).items():
        train['running_%s_after' % stat] = flat(b)

    with torch.no_grad():
        for stat, b in running_buffers(module).items():
            b.copy_(before[stat])
        module.eval()
        y_eval = module(x)
    if not before and not torch.allclose(y_eval, y):
        print('warning: the module keeps no running statistics but its eval output differs from training',
              file=sys.stderr)

    fixture = {'kind': args.kind, 'shape': shape, 'options': json.loads(args.options)}
    for attr, key in (('eps', 'eps'), ('momentum', 'momentum_pytorch')):
        if isinstance(getattr(module, attr, None), float):
            fixture[key] = getattr(module, attr)
    if not args.apply_act:
        fixture['apply_act'] = False
    fixture['generator'] = 'bench/make_fixture.py, PyTorch %s, float64, seed %d: %s' % (
        torch.__version__, args.seed, args.module)
    fixture['x'] = flat(x)
    fixture['upstream_grad'] = flat(upstream)
    for stat, b in before.items():
        fixture['running_%s_before' % stat] = flat(b)
    for name, p in params.items():
        fixture[fixture_name(name)] = flat(p)
    fixture['init'] = init
    if init_random:
        fixture['init_random'] = init_random
    fixture['train'] = train
    fixture['eval'] = {'y': flat(y_eval)}
    return fixture


def initial_parameters(module, expression, seed):
    """The parameters as the constructor leaves them, before the fixture perturbs them: those that
    a second construction under another seed gives equal are deterministic (init, checked exactly);
    the others are random (init_random, name -> why the kit skips them). The second construction
    runs on a forked random state, so the fixture's other values do not change."""
    init, random = {}, {}
    with torch.random.fork_rng():
        torch.manual_seed(seed + 1)
        other = dict(build(expression).double().named_parameters())
    for name, p in module.named_parameters():
        if torch.equal(p.detach(), other[name].detach()):
            init[fixture_name(name)] = flat(p)
        else:
            random[fixture_name(name)] = 'random initialisation (differs between seeds), not checked'
    return init, random


def take_inputs(path, shape, params, buffers):
    """x, upstream_grad, parameters and running statistics from an existing fixture."""
    with open(path) as f:
        old = json.load(f)
    if old['shape'] != shape:
        sys.exit('error: %s has shape %s, not %s' % (path, old['shape'], shape))
    with torch.no_grad():
        for name, p in params.items():
            p.copy_(torch.tensor(old[fixture_name(name)]).reshape(p.shape))
        for stat, b in buffers.items():
            b.copy_(torch.tensor(old['running_%s_before' % stat]))
    x = torch.tensor(old['x']).reshape(shape).requires_grad_(True)
    return x, torch.tensor(old['upstream_grad']).reshape(shape)


def fixture_name(parameter):
    name = parameter.replace('.', '_')
    return NAMES.get(name, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--module', required=True, help="constructor expression, or package.module:expression")
    parser.add_argument('--shape', required=True, help='input shape N,C,H,W')
    parser.add_argument('--kind', default=None, help="the NormLab norm name the fixture is for (e.g. gn)")
    parser.add_argument('--options', default='{}', help='JSON object of the NormLab norm options (e.g. {"groups": 4})')
    parser.add_argument('--apply-act', default='true', choices=['true', 'false'],
                        help='false: the layer is a norm+activation built without its activation')
    parser.add_argument('--seed', type=int, default=7)
    parser.add_argument('--inputs-from', metavar='FIXTURE.json',
                        help='take x, upstream_grad, parameters and running statistics from this fixture')
    parser.add_argument('--out', required=True)
    args = parser.parse_args()
    args.apply_act = args.apply_act == 'true'
    try:
        json.loads(args.options)
    except ValueError as e:
        parser.error('--options is not a JSON object: %s' % e)
    fixture = make(args)
    with open(args.out, 'w') as f:
        json.dump(fixture, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
