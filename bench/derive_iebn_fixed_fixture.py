#!/usr/bin/env python3
"""Derives the conformance fixture of iebn with `gate: fixed` from a PyTorch BatchNorm2d fixture.

    python3 bench/derive_iebn_fixed_fixture.py norm-bn/src/test/resources/fixtures/bn-2x5x3x7.json \
        norm-iebn/src/test/resources/fixtures/iebn-fixed-2x5x3x7.json

With its gate frozen at w = 0, b = -1, iebn is y = x_hat * gamma * s + beta with s = sigmoid(-1)
for every instance: exactly BatchNorm2d with weight gamma * s. So the bn fixture's PyTorch float64
values are the fixed iebn's, with gamma = gamma_bn / s: y, grad_x, grad_beta, the running
statistics and eval y are unchanged, grad_gamma = grad_gamma_bn * s (chain rule through
gamma_bn = gamma * s), and the frozen gate parameters get zero gradients, as make_fixture.py
writes for a parameter without gradient. Standard library only (no torch needed).
"""
import json
import math
import sys


def derive(bn):
    s = 1 / (1 + math.exp(1))  # sigmoid(-1)
    channels = bn['shape'][1]
    fixed = {k: v for k, v in bn.items() if k not in ('train', 'eval', 'gamma', 'beta', 'generator')}
    fixed['kind'] = 'iebn'
    fixed['options'] = {'gate': 'fixed'}
    fixed['generator'] = ('bench/derive_iebn_fixed_fixture.py from %s (%s): iebn with gate fixed is '
                          'BatchNorm2d with weight gamma * sigmoid(-1)' % (SOURCE, bn['generator']))
    fixed['gamma'] = [g / s for g in bn['gamma']]
    fixed['beta'] = bn['beta']
    fixed['weight_readjust'] = [0.0] * channels
    fixed['bias_readjust'] = [-1.0] * channels
    train = dict(bn['train'])
    train['grad_gamma'] = [g * s for g in bn['train']['grad_gamma']]
    train['grad_weight_readjust'] = [0.0] * channels
    train['grad_bias_readjust'] = [0.0] * channels
    fixed['train'] = train
    fixed['eval'] = bn['eval']
    return fixed


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: derive_iebn_fixed_fixture.py BN_FIXTURE.json OUT.json')
    SOURCE = sys.argv[1]
    with open(SOURCE) as f:
        bn_fixture = json.load(f)
    if bn_fixture.get('kind') != 'bn':
        sys.exit('%s is a fixture of %r, not of bn' % (SOURCE, bn_fixture.get('kind')))
    with open(sys.argv[2], 'w') as f:
        json.dump(derive(bn_fixture), f, indent=1)
        f.write('\n')
