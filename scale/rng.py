"""The run's seeded random streams, drawn exactly as the TypeScript core draws them
(src/core/data/random.ts: seedrandom's Alea), so PatchNCE samples the same patches here."""
import math

_TWO_32 = 4294967296.0
_INV_TWO_32 = 2.3283064365386963e-10


def _uint32(x: float) -> int:
    """JavaScript's x >>> 0."""
    return int(math.trunc(x)) % 0x100000000


def _mash():
    n = 0xEFC8249D

    def mash(data: str) -> float:
        nonlocal n
        # charCodeAt: UTF-16 code units.
        raw = str(data).encode('utf-16-le')
        for i in range(0, len(raw), 2):
            n += raw[i] | raw[i + 1] << 8
            h = 0.02519603282416938 * n
            n = _uint32(h)
            h -= n
            h *= n
            n = _uint32(h)
            h -= n
            n += h * _TWO_32
        return _uint32(n) * _INV_TWO_32

    return mash


class Rng:
    """Uniform numbers in [0, 1) from a string seed, as makeRng(seed) gives them."""

    def __init__(self, seed):
        mash = _mash()
        self.c = 1
        self.s0, self.s1, self.s2 = mash(' '), mash(' '), mash(' ')
        seed = str(seed)
        self.s0 -= mash(seed)
        if self.s0 < 0:
            self.s0 += 1
        self.s1 -= mash(seed)
        if self.s1 < 0:
            self.s1 += 1
        self.s2 -= mash(seed)
        if self.s2 < 0:
            self.s2 += 1

    def next(self) -> float:
        t = 2091639 * self.s0 + self.c * _INV_TWO_32
        self.s0, self.s1 = self.s1, self.s2
        self.c = int(t)
        self.s2 = t - self.c
        return self.s2

    def int(self, n: int) -> int:
        """A whole number in [0, n)."""
        return math.floor(self.next() * n)
