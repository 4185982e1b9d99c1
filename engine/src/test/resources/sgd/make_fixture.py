"""Writes torch-sgd.json: weights after each step of torch.optim.SGD (the reference for SgdTest).

Run with Debian's python3-torch:  /usr/bin/python3 make_fixture.py > torch-sgd.json
The gradient at step t is the fixed tensor grads[t] (loss = sum(w * grads[t])); the learning rate
changes between steps, which is where DJL's own SGD (lr folded into the momentum) would differ,
and drops to 0 for one step (a folded buffer would lose the momentum there).
"""
import json
import torch

torch.manual_seed(7)
w0 = torch.randn(2, 3)
lrs = [0.1, 0.1, 0.05, 0.0, 0.02, 0.01]
grads = [torch.randn(2, 3) for _ in lrs]
cases = []
for momentum, wd, nesterov in [(0.9, 5e-4, False), (0.9, 5e-4, True), (0.0, 1e-2, False), (0.5, 0.0, False)]:
    w = w0.clone().requires_grad_(True)
    opt = torch.optim.SGD([w], lr=lrs[0], momentum=momentum, weight_decay=wd, nesterov=nesterov)
    after = []
    for g, lr in zip(grads, lrs):
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        (w * g).sum().backward()
        opt.step()
        after.append(w.detach().flatten().tolist())
    cases.append({"momentum": momentum, "weight_decay": wd, "nesterov": nesterov, "after_step": after})
print(json.dumps({"torch": torch.__version__, "shape": [2, 3], "w0": w0.flatten().tolist(),
                  "grads": [g.flatten().tolist() for g in grads], "lrs": lrs, "cases": cases}, indent=1))
