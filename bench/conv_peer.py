"""PyTorch eager twin of models' ConvBench: one 3x3 convolution (no bias, padding 1, channels
in = out) in training, forward and backward (gradient of ones) timed apart, median of 31 steps
after 10 warm-up steps, 2 threads (or the environment's THREADS).

    /usr/bin/python3 bench/conv_peer.py [NxCxHxW ...]      (default 128x16x28x28 128x16x32x32)
"""
import os
import statistics
import sys
import time

import torch

WARMUP, STEPS = 10, 31
torch.set_num_threads(int(os.environ.get("THREADS", "2")))
for spec in sys.argv[1:] or ["128x16x28x28", "128x16x32x32"]:
    n, c, h, w = (int(v) for v in spec.split("x"))
    conv = torch.nn.Conv2d(c, c, 3, padding=1, bias=False)
    x = torch.randn(n, c, h, w)
    forward, backward = [], []
    for i in range(WARMUP + STEPS):
        start = time.perf_counter()
        y = conv(x)
        forward_done = time.perf_counter()
        y.backward(torch.ones_like(y))
        backward_done = time.perf_counter()
        conv.weight.grad = None
        if i >= WARMUP:
            forward.append((forward_done - start) * 1e3)
            backward.append((backward_done - forward_done) * 1e3)
    print(f"CONV engine=torch-{torch.__version__} in={spec} "
          f"forward_ms={statistics.median(forward):.2f} backward_ms={statistics.median(backward):.2f}")
