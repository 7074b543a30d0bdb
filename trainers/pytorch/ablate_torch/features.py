"""Audio clips and feature front ends with torchaudio (src/data/audio, src/data/features).

The built-in's features are torchaudio's by construction (tests/fixtures/golden): the same
config means the same STFT (centre reflect padding, periodic window), filterbanks, log
of (x + logEps), ortho DCT-II for cepstra, compute_deltas, and per-row mean removal.
"""
import torch
import torchaudio

from .rng import Rng
from .util import derive_seed

FEATURE_DEFAULTS = {
    'nFft': 400, 'window': 'hann', 'fMin': 0, 'nMels': 128, 'melScale': 'htk', 'norm': 'none', 'logEps': 1e-6,
    'nFilter': 128, 'nLfcc': 40, 'nMfcc': 40, 'deltas': 0, 'preEmphasis': 0, 'meanNorm': False,
}


def resolve_features(config, sample_rate):
    c = {**FEATURE_DEFAULTS, **config}
    c.setdefault('winLength', c['nFft'])
    c.setdefault('hopLength', max(1, c['winLength'] // 2))
    c.setdefault('fMax', sample_rate // 2)
    c['sampleRate'] = sample_rate
    return c


def load_audio(path, sample_rate):
    """Mono float32 samples at `sample_rate` (channels averaged, resampled with torchaudio)."""
    wave, rate = torchaudio.load(path)
    wave = wave.mean(0)
    if rate != sample_rate:
        wave = torchaudio.functional.resample(wave, rate, sample_rate)
    return wave.float()


def fit_clip(samples, clip_samples, crop, key):
    """A window of `clip_samples` (seeded random start per item for training, the centre for
    evaluation), or the signal tiled end to end when shorter: the built-in's fitClip, same windows.
    'random+tile' also starts the tiling of a short clip at a seeded offset (data.tileOffset random)."""
    n = samples.shape[0]
    if n == 0:
        raise ValueError(f'{key}: empty audio')
    if n >= clip_samples:
        slack = n - clip_samples
        # One fixed window per item, whatever the trial seed: the built-in's cropRng(seed 0, item id).
        start = slack // 2 if crop == 'center' else Rng(derive_seed('crop', 0, key)).int(slack + 1)
        return samples[start:start + clip_samples]
    if crop == 'random+tile':
        offset = Rng(derive_seed('crop', 0, key)).int(n)
        return samples[(torch.arange(clip_samples) + offset) % n]
    reps = -(-clip_samples // n)
    return samples.repeat(reps)[:clip_samples]


class FrontEnd:
    def __init__(self, config, sample_rate):
        self.c = c = resolve_features(config, sample_rate)
        self.kind = c['kind']
        if self.kind == 'waveform':
            return
        window = torch.hann_window if c['window'] == 'hann' else torch.hamming_window
        self.spectrogram = torchaudio.transforms.Spectrogram(
            n_fft=c['nFft'], win_length=c['winLength'], hop_length=c['hopLength'], window_fn=window, power=2.0, center=True, pad_mode='reflect')
        bins = c['nFft'] // 2 + 1
        self.bank = None
        if self.kind in ('mel', 'mfcc'):
            self.bank = torchaudio.functional.melscale_fbanks(
                bins, float(c['fMin']), float(c['fMax']), c['nMels'], sample_rate, None if c['norm'] == 'none' else 'slaney', c['melScale'])
        elif self.kind == 'lfcc':
            self.bank = torchaudio.functional.linear_fbanks(bins, float(c['fMin']), float(c['fMax']), c['nFilter'], sample_rate)
        self.dct = None
        if self.kind == 'mfcc':
            self.dct = torchaudio.functional.create_dct(c['nMfcc'], c['nMels'], 'ortho')
        elif self.kind == 'lfcc':
            self.dct = torchaudio.functional.create_dct(c['nLfcc'], c['nFilter'], 'ortho')

    def __call__(self, samples):
        """[samples] -> [bins, frames] (waveform: [samples])."""
        c = self.c
        x = samples
        if c['preEmphasis']:
            x = torch.cat([x[:1], x[1:] - c['preEmphasis'] * x[:-1]])
        if self.kind == 'waveform':
            return x
        power = self.spectrogram(x.double().unsqueeze(0)).squeeze(0)  # [bins, frames]
        if self.bank is not None:
            power = (power.transpose(0, 1) @ self.bank.double()).transpose(0, 1)
        feats = torch.log(power + c['logEps'])
        if self.dct is not None:
            feats = (feats.transpose(0, 1) @ self.dct.double()).transpose(0, 1)
        feats = feats.float()
        if c['deltas'] >= 1:
            d1 = torchaudio.functional.compute_deltas(feats.unsqueeze(0)).squeeze(0)
            parts = [feats, d1]
            if c['deltas'] >= 2:
                parts.append(torchaudio.functional.compute_deltas(d1.unsqueeze(0)).squeeze(0))
            feats = torch.cat(parts, 0)
        if c['meanNorm']:
            feats = feats - feats.mean(1, keepdim=True)
        return feats
