"""NormLab's data choices in Python, so a PyTorch run sees the very images a NormLab trial sees:
Java's java.util.SplittableRandom (nextInt(bound), nextDouble), data/'s StratifiedOrder and
ImageSet.subset (the seeded, class-stratified subsets of data.train_subset / data.val_subset),
ChannelStatistics (mean and population std over the subset's pixels) and the batch pipeline
(v / 255, bilinear resize align_corners=False without antialias, normalize), all in float32 as
TransformPipeline. Checked against the JDK and NormLab's own classes by bench/test_noise_parity.py."""
import gzip
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

MASK64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


class SplittableRandom:
    """java.util.SplittableRandom(seed) (JDK 17): nextInt, nextInt(bound), nextLong, nextDouble."""

    def __init__(self, seed):
        self.seed = seed & MASK64

    def _next_seed(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & MASK64
        return self.seed

    @staticmethod
    def _mix64(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    @staticmethod
    def _mix32(z):
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & MASK64
        return (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & MASK64) >> 32  # unsigned 32 bits

    def next_int(self, bound=None):
        """A signed 32-bit int, or one in [0, bound) by RandomSupport.boundedNextInt's rejection."""
        r = self._mix32(self._next_seed())
        if bound is None:
            return r - (1 << 32) if r >= 1 << 31 else r
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = r >> 1
        while u + m - u % bound >= 1 << 31:  # Java: u + m - r < 0 by int overflow
            u = self._mix32(self._next_seed()) >> 1
        return u % bound

    def next_long(self):
        r = self._mix64(self._next_seed())
        return r - (1 << 64) if r >= 1 << 63 else r

    def next_double(self):
        return (self._mix64(self._next_seed()) >> 11) * 2.0 ** -53


def permutation(n, random):
    """data/'s Seeds.permutation: Fisher-Yates from the top."""
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = random.next_int(i + 1)
        p[i], p[j] = p[j], p[i]
    return p


def stratified_order(labels, num_classes, seed):
    """data/'s StratifiedOrder.of: image r of a shuffled class of m images keyed (r + u) / m."""
    random = SplittableRandom(seed)
    by_class = [[] for _ in range(num_classes)]
    for i, label in enumerate(labels):
        by_class[label].append(i)
    key = [0.0] * len(labels)
    for members in by_class:
        m = len(members)
        perm = permutation(m, random)
        for r in range(m):
            key[members[perm[r]]] = (r + random.next_double()) / m
    return sorted(range(len(labels)), key=key.__getitem__)  # stable, as Java's object sort


def subset_indices(labels, n, num_classes, seed):
    """ImageSet.subset(n, seed): the first n of the stratified order, in the set's own order."""
    return sorted(stratified_order(labels, num_classes, seed)[:n])


def read_idx(folder, name):
    """An IDX file of Fashion-MNIST (name.gz or name) as a uint8 array: (N, 1, 28, 28) or (N,)."""
    for path, opener in ((os.path.join(folder, name + '.gz'), gzip.open), (os.path.join(folder, name), open)):
        if os.path.isfile(path):
            with opener(path, 'rb') as f:
                data = f.read()
            magic, count = struct.unpack('>II', data[:8])
            if magic == 2051:
                rows, cols = struct.unpack('>II', data[8:16])
                return np.frombuffer(data, np.uint8, offset=16).reshape(count, 1, rows, cols)
            return np.frombuffer(data, np.uint8, offset=8)
    raise FileNotFoundError('Fashion-MNIST not found: looked for %s(.gz) in %s; install it with '
                            '`apt-get install dataset-fashion-mnist` or set data.path' % (name, folder))


def fashion_mnist(folder):
    """(train_images, train_labels, test_images, test_labels) as NormLab's FashionMnist.load."""
    return (read_idx(folder, 'train-images-idx3-ubyte'), read_idx(folder, 'train-labels-idx1-ubyte'),
            read_idx(folder, 't10k-images-idx3-ubyte'), read_idx(folder, 't10k-labels-idx1-ubyte'))


def channel_statistics(pixels):
    """ChannelStatistics.of: per-channel mean and population std over all pixels, in [0, 1] units."""
    v = pixels.astype(np.int64).transpose(1, 0, 2, 3).reshape(pixels.shape[1], -1)
    count = float(v.shape[1])
    m = v.sum(1) / count
    var = np.maximum(0, (v * v).sum(1) / count - m * m)
    return m / 255.0, np.sqrt(var) / 255.0


def to_input(pixels, mean, std, size=None, chunk=4096):
    """TransformPipeline for eval (and train without augmentation): v / 255f, resize, normalize."""
    out = []
    m = torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1)
    s = torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1)
    for i in range(0, len(pixels), chunk):
        x = torch.from_numpy(np.ascontiguousarray(pixels[i:i + chunk])).float() / 255.0
        if size is not None and tuple(x.shape[2:]) != (size, size):
            x = F.interpolate(x, size=(size, size), mode='bilinear', align_corners=False, antialias=False)
        out.append((x - m) / s)
    return torch.cat(out)
