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

    def uniforms(self, n):
        """n draws of uniform(), the same numbers, with the generator inlined (the RawBoost loops draw thousands)."""
        s01, s00, s11, s10 = self.s
        out = [0.0] * n
        for k in range(n):
            pair = []
            for _ in range(2):
                pair.append((s00 + s10) & M32)
                a0, a1 = s10 ^ s00, s11 ^ s01
                s01, s00, s11, s10 = (
                    ((s01 << 24) & M32) ^ (s00 >> 8) ^ a1 ^ (((a1 << 16) & M32) | (a0 >> 16)),
                    ((s00 << 24) & M32) ^ (s01 >> 8) ^ a0 ^ ((a0 << 16) & M32),
                    ((a0 << 5) & M32) ^ (a1 >> 27),
                    ((a1 << 5) & M32) ^ (a0 >> 27),
                )
            out[k] = (pair[0] & 0x3FFFFFF) * 1.4901161193847656e-8 + (pair[1] & 0x7FFFFFF) * 1.1102230246251565e-16
        self.s = [s01, s00, s11, s10]
        return out

    def between(self, low, high):
        return low + (high - low) * self.uniform()

    def normal(self):
        """Standard normal: Box-Muller, caching the second value (Rng.normal)."""
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        u = 0.0
        while u == 0:
            u = self.uniform()
        v = self.uniform()
        radius = math.sqrt(-2 * math.log(u))
        self.spare = radius * math.sin(2 * math.pi * v)
        return radius * math.cos(2 * math.pi * v)

    def normals(self, n):
        """n draws of normal(), the same numbers, with the uniforms drawn in one batch."""
        out = []
        if n > 0 and self.spare is not None:
            out.append(self.spare)
            self.spare = None
        pairs = (n - len(out) + 1) // 2
        saved = list(self.s)
        draws = self.uniforms(2 * pairs)
        if 0.0 in draws[0::2]:
            # Rng.normal redraws a zero u alone (a 2^-53 chance): replay one at a time from here.
            self.s = saved
            return out + [self.normal() for _ in range(n - len(out))]
        sqrt, log, cos, sin, tau = math.sqrt, math.log, math.cos, math.sin, 2 * math.pi
        for k in range(pairs):
            radius = sqrt(-2 * log(draws[2 * k]))
            angle = tau * draws[2 * k + 1]
            out.append(radius * cos(angle))
            out.append(radius * sin(angle))
        if len(out) > n:
            self.spare = out.pop()
        return out

    def fork(self, label):
        """An independent child stream (Rng.fork): seeded from this state as pure-rand reports it, signed int32s."""
        signed = [v - (1 << 32) if v >= (1 << 31) else v for v in self.s]
        return Rng(derive_seed(*signed, 'fork', label))

    def int(self, n):
        return min(n - 1, math.floor(self.uniform() * n))

    def shuffle(self, items):
        """Fisher-Yates in place, as Rng.shuffle."""
        for i in range(len(items) - 1, 0, -1):
            j = self.int(i + 1)
            items[i], items[j] = items[j], items[i]
        return items
