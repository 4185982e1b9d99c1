"""Writes engine/src/main/resources/org/normlab/engine/flat-sgd.pt, the TorchScript helper behind
org.normlab.engine.FlatParameters: it moves every trainable parameter and its gradient into one
contiguous buffer each (the tensors become views of it, so autograd accumulates into the flat
gradient and an update of the flat weights updates every parameter), which lets Sgd run its
step as ~8 engine calls in all instead of ~9 per parameter. DJL cannot rebind a tensor's storage
(set_) itself. Run with Debian's torch 1.13 from the repository root:
    /usr/bin/python3 bench/make_flat_sgd.py
"""
import sys
from typing import List

import torch


class FlatSgd(torch.nn.Module):
    @torch.jit.export
    def bind(self, params: List[torch.Tensor], flat_w: torch.Tensor, flat_g: torch.Tensor) -> int:
        """Each parameter and its gradient (which must exist) now view flat_w and flat_g, in
        order; the caller copied their values there. The flat buffers come from the caller:
        made here, they would be inference tensors (DJL runs methods in InferenceMode), which
        cannot be updated in place outside it."""
        off = 0
        for p in params:
            n = p.numel()
            g = p.grad
            p.set_(flat_w[off:off + n].view(p.size()))
            g.set_(flat_g[off:off + n].view(p.size()))
            off += n
        return off

    @torch.jit.export
    def bound(self, params: List[torch.Tensor], flat_w: torch.Tensor, flat_g: torch.Tensor) -> bool:
        """Whether every parameter and gradient still views the flat buffers (for tests)."""
        off = 0
        for p in params:
            n = p.numel()
            if not p.is_set_to(flat_w[off:off + n].view(p.size())):
                return False
            if not p.grad.is_set_to(flat_g[off:off + n].view(p.size())):
                return False
            off += n
        return off == flat_w.numel()

    @torch.jit.export
    def zero(self, t: torch.Tensor) -> int:
        """t = 0 in place, NaN included (a multiply by 0 keeps NaN)."""
        t.zero_()
        return 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "engine/src/main/resources/org/normlab/engine/flat-sgd.pt"
    torch.jit.script(FlatSgd()).save(out)
    print("wrote", out, "with torch", torch.__version__)
