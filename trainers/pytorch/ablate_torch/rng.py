"""ablate's seeded stream (src/util/rng.ts: pure-rand's xoroshiro128+ and uniformFloat64), bit for
bit, so this trainer draws the built-in's training crops and batch plans from the same seeds."""
import math

from .util import derive_seed

M32 = 0xFFFFFFFF


class Rng:
    def __init__(self, seed=None, state=None):
        if state is not None:
            self.s, self.spare = list(state[0]), state[1]
            return
        # pure-rand's xoroshiro128plus(seed | 0): state (s01, s00, s11, s10) = (-1, ~seed, seed, 0).
        seed = derive_seed('rng', seed) & M32
        self.s = [M32, ~seed & M32, seed, 0]
        self.spare = None

    @classmethod
    def from_labels(cls, *parts):
        return cls(derive_seed(*parts))

    @property
    def state(self):
        return (tuple(self.s), self.spare)

    def _next(self):
        s01, s00, s11, s10 = self.s
        out = (s00 + s10) & M32
        a0, a1 = s10 ^ s00, s11 ^ s01
        self.s = [
            ((s01 << 24) & M32) ^ (s00 >> 8) ^ a1 ^ ((((a1 << 16) & M32) | (a0 >> 16))),
            ((s00 << 24) & M32) ^ (s01 >> 8) ^ a0 ^ ((a0 << 16) & M32),
            ((a0 << 5) & M32) ^ (a1 >> 27),
            ((a1 << 5) & M32) ^ (a0 >> 27),
        ]
        return out

    def uniform(self):
        """[0, 1) in multiples of 2^-53 (uniformFloat64)."""
        first = self._next() & 0x3FFFFFF
        second = self._next() & 0x7FFFFFF
        return first * 1.4901161193847656e-8 + second * 1.1102230246251565e-16

    def int(self, n):
        return min(n - 1, math.floor(self.uniform() * n))

    def shuffle(self, items):
        """Fisher-Yates in place, as Rng.shuffle."""
        for i in range(len(items) - 1, 0, -1):
            j = self.int(i + 1)
            items[i], items[j] = items[j], items[i]
        return items
