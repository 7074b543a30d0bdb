#!/usr/bin/env python3
"""Reference values for the shortcut probe (tests/train/probe.test.ts), computed with numpy
alone from the definitions in src/train/probe/features.ts and logistic.ts, independently of
the TypeScript code. Writes tests/fixtures/probe/reference.json.

    python3 scripts/probe-reference.py
"""
import json
import os

import numpy as np


def quantised(x):
    """16-bit samples: the fixture stores integers, both sides divide by 32768."""
    return np.clip(np.round(np.asarray(x) * 32768), -32768, 32767).astype(np.int64)


def signals():
    rng = np.random.default_rng(16)
    out = []
    sr = 8000
    t = np.arange(int(0.2 * sr)) / sr
    tone = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 2000 * t)
    out.append(('silence-then-tones', sr, np.concatenate([np.zeros(int(0.1 * sr)), tone])))
    sr = 16000
    floor = 1e-4 * rng.standard_normal(int(0.05 * sr))
    noise = 0.2 * rng.standard_normal(int(0.15 * sr))
    out.append(('noise-floor-then-noise', sr, np.concatenate([floor, noise])))
    out.append(('shorter-than-one-frame', 16000, 0.5 * rng.standard_normal(300)))
    out.append(('digital-silence', 16000, np.zeros(400)))
    # A quiet start that stays within 40 dB of the loudest frame: no leading silence.
    sr = 16000
    ramp = np.linspace(0.02, 0.5, int(0.1 * sr)) * np.sin(2 * np.pi * 300 * np.arange(int(0.1 * sr)) / sr)
    out.append(('no-silence', sr, ramp))
    return out


def features(x, sr):
    n = len(x)
    duration = n / sr
    rms_db = 10 * np.log10(np.mean(x ** 2) + 1e-10) if n else 10 * np.log10(1e-10)
    frame = max(1, round(0.02 * sr))
    energies = np.array([np.mean(x[s:s + frame] ** 2) for s in range(0, n, frame)])
    loudest = energies.max() if len(energies) else 0.0
    if loudest == 0:
        silence = n / sr
    else:
        silence = int(np.argmax(energies >= loudest * 1e-4)) * frame / sr
    nfft, hop = 512, 256
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(nfft) / nfft)
    frames = 1 if n <= nfft else 1 + (n - nfft) // hop
    freqs = np.arange(nfft // 2 + 1) * sr / nfft
    centroids = []
    for f in range(frames):
        seg = np.zeros(nfft)
        chunk = x[f * hop:f * hop + nfft]
        seg[:len(chunk)] = chunk
        power = np.abs(np.fft.rfft(seg * window)) ** 2
        if power.sum() > 0:
            centroids.append((power * freqs).sum() / power.sum())
    centroid = float(np.mean(centroids)) if centroids else 0.0
    return [duration, float(rms_db), float(silence), centroid]


def logistic(x, y, l2=1e-3):
    """Newton's method on mean NLL + l2/2 |w|^2 (bias unpenalised), standardised features."""
    x = np.asarray(x, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0
    for _ in range(100):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) / len(y) + penalty * w
        hess = (z.T * (p * (1 - p))) @ z / len(y) + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-12:
            break
    return {'weights': w.tolist(), 'mean': mean.tolist(), 'scale': scale.tolist()}


def main():
    cases = []
    for name, sr, x in signals():
        q = quantised(x)
        cases.append({'name': name, 'sampleRate': sr, 'int16': q.tolist(), 'features': features(q.astype(np.float64) / 32768, sr)})
    rng = np.random.default_rng(7)
    # Overlapping classes (a finite optimum), in the features' own units.
    n = 60
    y = (np.arange(n) % 2).astype(float)
    x = np.column_stack([
        2.0 + 0.8 * y + rng.normal(0, 0.5, n),
        -30 + 3 * y + rng.normal(0, 4, n),
        0.2 - 0.1 * y + rng.normal(0, 0.1, n),
        1500 + rng.normal(0, 300, n),
    ])
    fit = logistic(x, y)
    out = {
        'generator': 'scripts/probe-reference.py (numpy ' + np.__version__ + ')',
        'features': cases,
        'logistic': {'x': x.tolist(), 'y': y.astype(int).tolist(), 'l2': 1e-3, **fit},
    }
    path = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'probe', 'reference.json')
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
