"""The PyTorch reference of the mobn plugin, for bench/make_fixture.py (module mean_only_bn)."""
import torch
import torch.nn as nn


class MeanOnlyBatchNorm2d(nn.Module):
    """Mean-only batch normalization (Salimans & Kingma 2016): x_hat = x - mu, mu the batch mean in
    training (running_mean updated as BatchNorm2d's) and the running mean in eval; y = x_hat + bias.
    No variance, no eps, no running_var buffer.

    attack_a, attack_b: NormLab's constant attack on this norm (x_hat -> a * x_hat + b, in training
    only, as `attack.name: constant` with its default eval: false), to check that the attack wraps
    the plugin's step."""

    def __init__(self, num_features, momentum=0.1, attack_a=1.0, attack_b=0.0):
        super().__init__()
        self.momentum, self.attack_a, self.attack_b = momentum, attack_a, attack_b
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer('running_mean', torch.zeros(num_features))

    def forward(self, x):
        v = (1, -1, 1, 1)
        if self.training:
            mean = x.mean(dim=(0, 2, 3))
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
            x_hat = (x - mean.view(v)) * self.attack_a + self.attack_b
        else:
            x_hat = x - self.running_mean.view(v)
        return x_hat + self.bias.view(v)
