"""PyTorch eager peer for throughput ratios. Usage (Debian python3-torch): /usr/bin/python3 pytorch_peer.py model=r20|r18 norm=NAME batch=128 ch=3 hw=32 warmup=5 iters=40 mode=both|train|eval threads=2 [profile=TRACE.json]
NAME is any norm NormLab ships: bn, iebn, gn (groups 32, rounded down to a divisor of the channels
as NormLab's default), ln, in, brn, frn, evonorm_b0, evonorm_s0. frn and the EvoNorms carry their
activation: they replace norm + ReLU, and run without it before the residual addition and in
shortcuts, as NormLab's models (timm's create_norm_act / apply_act=False).
r8, r20, r56 = CIFAR ResNet-8, -20, -56 (option-A shortcut unless opt=B), r18 = torchvision ResNet-18 layout, 10 classes.
Prints one RESULT line per mode with img_s=<images per second>.
Extended from shared/bench/pytorch_peer.py; the reference modules come from make_fixture.py."""
import os, sys, time, torch, torch.nn as nn, torch.nn.functional as F
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixture import BatchRenorm2d, FilterResponseNormTlu2d, EvoNorm2dB0, EvoNorm2dS0
# Run as a script, the norm comes from the command line; imported (bench/noise_parity.py), the
# caller passes kind= to the builders below and this module parses no arguments.
a = dict(s.split("=", 1) for s in sys.argv[1:]) if __name__ == "__main__" else {}
norm = a.get("norm", "bn")

class IEBN(nn.Module):
    # y = BN_noaffine(x) * gamma * sigmoid(w * GAP(x) + b) + beta
    def __init__(self, c):
        super().__init__()
        self.bn = nn.BatchNorm2d(c, affine=False)
        self.gamma = nn.Parameter(torch.ones(1, c, 1, 1)); self.beta = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.w = nn.Parameter(torch.zeros(1, c, 1, 1)); self.b = nn.Parameter(torch.full((1, c, 1, 1), -1.0))
    def forward(self, x):
        xn = self.bn(x)
        gap = x.mean(dim=2, keepdim=True).mean(dim=3, keepdim=True)  # same op sequence as DJL version
        att = torch.sigmoid(gap * self.w + self.b)
        return xn * (att * self.gamma) + self.beta

def groups(c, limit=32):
    """NormLab's default (strict: false): the largest divisor of c not above the groups."""
    return max(g for g in range(1, min(limit, c) + 1) if c % g == 0)

def carries_act(kind):
    return kind in ("frn", "evonorm_b0", "evonorm_s0")

def Norm(c, act=False, kind=None):
    """The norm of one layer (kind: a NormLab norm name, default the command line's);
    act: a ReLU follows it (a norm+activation layer then takes it in)."""
    kind = kind or norm
    makers = {
        "bn": lambda: nn.BatchNorm2d(c), "iebn": lambda: IEBN(c),
        "gn": lambda: nn.GroupNorm(groups(c), c), "ln": lambda: nn.GroupNorm(1, c),
        "in": lambda: nn.InstanceNorm2d(c, affine=True), "brn": lambda: BatchRenorm2d(c),
        "frn": lambda: FilterResponseNormTlu2d(c, apply_act=act),
        "evonorm_b0": lambda: EvoNorm2dB0(c, apply_act=act),
        "evonorm_s0": lambda: EvoNorm2dS0(c, groups=groups(c), apply_act=act)}
    if kind not in makers:
        sys.exit("unknown norm %s; known: %s" % (kind, ", ".join(makers)))
    return makers[kind]()

def NormRelu(c, kind=None):
    """Norm then ReLU; one layer for a norm that carries its activation."""
    kind = kind or norm
    return Norm(c, act=True, kind=kind) if carries_act(kind) else nn.Sequential(Norm(c, kind=kind), nn.ReLU())

class Basic(nn.Module):
    def __init__(self, cin, cout, stride, opt, kind=None):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.n1 = NormRelu(cout, kind)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.n2 = Norm(cout, kind=kind)
        self.mode = 0; self.pad = (cout - cin) // 2
        if stride != 1 or cin != cout:
            if opt == "A": self.mode = 1
            else:
                self.mode = 2; self.sc = nn.Conv2d(cin, cout, 1, stride, bias=False); self.scn = Norm(cout, kind=kind)
    def forward(self, x):
        h = self.n1(self.c1(x)); h = self.n2(self.c2(h))
        if self.mode == 0: s = x
        elif self.mode == 1: s = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))
        else: s = self.scn(self.sc(x))
        return F.relu(h + s)

def cifar_resnet(n=3, opt="A", cin=3, kind=None, classes=10):
    """CIFAR ResNet-(6n+2), widths 16/32/64, as NormLab's cifar_resnet (basic units)."""
    layers = [nn.Conv2d(cin, 16, 3, 1, 1, bias=False), NormRelu(16, kind)]
    c = 16
    for s, w in enumerate([16, 32, 64]):
        for i in range(n):
            layers.append(Basic(c, w, 2 if (s > 0 and i == 0) else 1, opt, kind)); c = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, classes)]
    return nn.Sequential(*layers)

def resnet18(cin=3):
    layers = [nn.Conv2d(cin, 64, 7, 2, 3, bias=False), NormRelu(64), nn.MaxPool2d(3, 2, 1)]
    c = 64
    for s, w in enumerate([64, 128, 256, 512]):
        for i in range(2):
            layers.append(Basic(c, w, 2 if (s > 0 and i == 0) else 1, "B")); c = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 10)]
    return nn.Sequential(*layers)

if __name__ == "__main__":
    model_name = a.get("model", "r20")
    B = int(a.get("batch", 128)); ch = int(a.get("ch", 3)); hw = int(a.get("hw", 32))
    warmup = int(a.get("warmup", 5)); iters = int(a.get("iters", 40)); mode = a.get("mode", "both")
    torch.set_num_threads(int(a.get("threads", 2)))
    torch.manual_seed(0)
    net = resnet18(ch) if model_name == "r18" else cifar_resnet({"r8": 1, "r20": 3, "r56": 9}[model_name], a.get("opt", "A"), ch)
    print("torch", torch.__version__, "threads", torch.get_num_threads(),
          "params", sum(p.numel() for p in net.parameters() if p.requires_grad))
    xs = [torch.randn(B, ch, hw, hw) for _ in range(4)]; ys = [torch.randint(0, 10, (B,)) for _ in range(4)]
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    crit = nn.CrossEntropyLoss()
    if mode in ("both", "train"):
        net.train()
        def train_step(it):
            opt.zero_grad(set_to_none=True)
            loss = crit(net(xs[it % 4]), ys[it % 4]); loss.backward(); opt.step()
            return loss
        for it in range(warmup + iters):
            if it == warmup: t0 = time.perf_counter()
            loss = train_step(it)
        sec = time.perf_counter() - t0
        if "profile" in a:  # the engine's own profiler over 20 more steps (bench/profile_ops.py sums it)
            with torch.autograd.profiler.profile() as prof:
                for it in range(20):
                    loss = train_step(it)
            prof.export_chrome_trace(a["profile"])
        print(f"RESULT model={model_name} norm={norm} mode=train batch={B} in={ch}x{hw}x{hw} iters={iters} "
              f"sec={sec:.3f} img_s={iters*B/sec:.1f} ms_iter={sec*1000/iters:.1f} loss={loss.item():.4f}")
    if mode in ("both", "eval"):
        net.eval()
        with torch.no_grad():
            for it in range(warmup + iters):
                if it == warmup: t0 = time.perf_counter()
                net(xs[it % 4]).argmax(1).tolist()
        sec = time.perf_counter() - t0
        print(f"RESULT model={model_name} norm={norm} mode=eval batch={B} in={ch}x{hw}x{hw} iters={iters} "
              f"sec={sec:.3f} img_s={iters*B/sec:.1f} ms_iter={sec*1000/iters:.1f}")
