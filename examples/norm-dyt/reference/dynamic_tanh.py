"""The PyTorch reference of the dyt plugin, for bench/make_fixture.py (module dynamic_tanh)."""
import torch
import torch.nn as nn


class DynamicTanh2d(nn.Module):
    """y = tanh(alpha * x) * weight + bias; alpha is one learnable scalar (Zhu et al. 2025)."""

    def __init__(self, num_features, alpha_init=0.5):
        super().__init__()
        self.alpha = nn.Parameter(torch.ones(1) * alpha_init)
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))

    def forward(self, x):
        v = (1, -1, 1, 1)
        return torch.tanh(self.alpha * x) * self.weight.view(v) + self.bias.view(v)
