"""The PyTorch reference of the rms plugin, for bench/make_fixture.py (module rms_norm)."""
import torch
import torch.nn as nn


class RmsNorm2d(nn.Module):
    def __init__(self, num_features, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))

    def forward(self, x):
        v = (1, -1, 1, 1)
        y = x / (x.square().mean(dim=(1, 2, 3), keepdim=True) + self.eps).sqrt()
        return y * self.weight.view(v) + self.bias.view(v)
