"""EXPERIMENT, NOT SHIPPED (issue 27, commit fead575, reverted in 02df440): a TorchScript module
that ran the whole SGD step over every parameter in one engine call with the engine's
multi-tensor (_foreach) ops. Bit for bit the per-parameter step, but no faster (whole training
steps 0.97-0.99x, see BENCHMARKS.md): on the CPU the _foreach ops loop over the tensors, and the
engine's per-op cost, not the JNI call, is what the per-parameter step pays. The flat buffers
(bench/make_flat_sgd.py) are what shipped.

The ops and their order are Sgd's per-parameter ones (torch.optim.SGD's rule, dampening 0), so
the results are bit for bit the same (FusedSgdTest in fead575 checked it). Every parameter must already have
a gradient (FusedSgd checked that on the Java side). Run with Debian's torch 1.13:
    /usr/bin/python3 bench/experiments/make_fused_sgd.py
"""
import sys
from typing import List

import torch


class FusedSgd(torch.nn.Module):
    @torch.jit.export
    def step(self, params: List[torch.Tensor], bufs: List[torch.Tensor], lr: float, momentum: float,
             weight_decay: float, nesterov: bool) -> List[torch.Tensor]:
        """One step, gradients zeroed after; returns the momentum buffers (made from the
        gradients when bufs is empty)."""
        grads: List[torch.Tensor] = [p.grad for p in params]
        if weight_decay != 0.0:
            decays = torch._foreach_mul(params, weight_decay)
            torch._foreach_add_(grads, decays)
        direction = grads
        if momentum != 0.0:
            if len(bufs) == 0:
                bufs = [g.clone() for g in grads]
            else:
                torch._foreach_mul_(bufs, momentum)
                torch._foreach_add_(bufs, grads)
            if nesterov:
                aheads = torch._foreach_mul(bufs, momentum)
                torch._foreach_add_(grads, aheads)
            else:
                direction = bufs
        updates = torch._foreach_mul(direction, lr)
        torch._foreach_sub_(params, updates)
        # zero_, not a multiply by 0: a NaN gradient must not survive into the next step. A loop,
        # because torch 1.13's script compiler drops a bare _foreach_zero_ call as dead code.
        for g in grads:
            g.zero_()
        return bufs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/fused-sgd.pt"
    torch.jit.script(FusedSgd()).save(out)
    print("wrote", out, "with torch", torch.__version__)
