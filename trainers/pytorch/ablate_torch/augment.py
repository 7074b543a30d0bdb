"""Training-data augmentation (src/data/augment): RawBoost, additive noise and SpecAugment, drawn
per (trial seed, item, epoch) so a resumed job augments exactly as an uninterrupted one.
RawBoost draws from ablate's stream exactly as the built-in does (augmentationRng, then the
'waveform' and 'rawboost' forks), so it gives the built-in's augmented waveforms; noise and
SpecAugment draw from torch generators (same distributions, other values)."""
import torch

from .features import FrontEnd
from .rawboost import rawboost
from .rng import Rng
from .util import derive_seed


class JobError(Exception):
    """A job this trainer cannot run as configured: the message says why (exit 2)."""


def has_augmentation(config):
    return bool(config) and (config.get('rawboost', 0) > 0 or 'noise' in config or 'specAugment' in config)


class Augmenter:
    def __init__(self, config, seed, experts, train, waves, sample_rate):
        algorithm = config.get('rawboost', 0)
        if algorithm not in range(9):
            raise JobError(f'augmentation.rawboost = {algorithm!r}: RawBoost algorithms are the integers 0-8')
        self.config, self.seed, self.train, self.waves, self.sample_rate = config, seed, train, waves, sample_rate
        configs = [None] * len(train.tensors)
        for expert, j in zip(experts, train.index):
            configs[j] = expert['features']
        self.fronts = [FrontEnd(c, sample_rate) for c in configs]
        self.memo = {}

    def epoch(self, epoch):
        key = 0 if self.config.get('cache') else epoch
        if key not in self.memo:
            self.memo = {key: self._make(key)}
        return self.memo[key]

    def _make(self, epoch):
        noise, spec = self.config.get('noise'), self.config.get('specAugment')
        algorithm = self.config.get('rawboost', 0)
        out = [torch.empty_like(t) for t in self.train.tensors]
        for n, item in enumerate(self.train.ids):
            g = torch.Generator().manual_seed(derive_seed(self.seed, 'augment', item, epoch))
            wave = self.waves[n] if self.waves is not None else None
            if algorithm:
                wave = augment_rawboost(wave, self.sample_rate, algorithm, self.seed, item, epoch)
            if noise is not None and float(torch.rand((), generator=g)) < noise.get('probability', 1):
                low, high = noise['snrDb']
                snr = low + (high - low) * float(torch.rand((), generator=g, dtype=torch.float64))
                power = float((wave.double() ** 2).sum())
                if power > 0:
                    drawn = torch.randn(wave.shape, generator=g, dtype=torch.float64)
                    # The drawn noise scaled to the exact SNR (not its expected power).
                    wave = (wave.double() + drawn * (power / float((drawn ** 2).sum()) / 10 ** (snr / 10)) ** 0.5).float()
            for j, front in enumerate(self.fronts):
                feats = front(wave) if wave is not None else self.train.tensors[j][n]
                if spec is not None and front.kind != 'waveform':
                    feats = spec_augment(feats, spec, g)
                out[j][n] = feats
        return out


def augment_rawboost(wave, sample_rate, algorithm, seed, item, epoch):
    """RawBoost as augmentWaveform applies it: the stream is augmentationRng(seed, item, epoch)
    (epoch 0 when cached, which `epoch` already is here), forked 'waveform' then 'rawboost'."""
    rng = Rng.from_labels('augment', seed, item, epoch).fork('waveform').fork('rawboost')
    return rawboost(wave, sample_rate, algorithm, rng)


def spec_augment(feats, config, g):
    """Masks of random width (0..max) at random positions, set to 0 (torchaudio's mask value)."""
    feats = feats.clone()
    bins, frames = feats.shape

    def draw(count, max_width, size, axis):
        for _ in range(count):
            width = int(torch.randint(0, min(max_width, size) + 1, (), generator=g))
            start = int(torch.randint(0, size - width + 1, (), generator=g))
            if axis == 0:
                feats[start:start + width] = 0
            else:
                feats[:, start:start + width] = 0

    draw(config['freqMasks'], config['freqWidth'], bins, 0)
    draw(config['timeMasks'], config['timeWidth'], frames, 1)
    return feats
