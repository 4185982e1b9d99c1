"""Writes ../resources/org/normlab/norm/group/group_norm_op.pt, the one-op TorchScript module that
GroupNormLayer calls on the PyTorch engine: torch.group_norm, the kernel behind torch.nn.GroupNorm,
with its own backward (DJL exposes layer norm but not group norm). The group count travels as the
length of a tensor and eps as a 0-dim float64 tensor, because DJL passes only tensors to a module.
Run from this folder: /usr/bin/python3 make_group_norm_op.py (any PyTorch >= 1.13)."""
import torch


class GroupNormOp(torch.nn.Module):
    def forward(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
                groups: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
        return torch.group_norm(x, groups.size(0), weight, bias, eps.item())


if __name__ == "__main__":
    torch.jit.script(GroupNormOp()).save("../resources/org/normlab/norm/group/group_norm_op.pt")
