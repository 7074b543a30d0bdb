"""RawBoost (Tak et al., ICASSP 2022) as the built-in does it (src/data/augment/rawboost.ts,
firwin.ts, fir-filter.ts): algorithms 1-8 with RawBoost.py's default parameters, every draw from
ablate's stream (rng.py) in the built-in's order, so both trainers give the same augmented
waveform for the same (seed, item, epoch), within float64 rounding. Signals are float64 torch
tensors; the draws themselves are plain Python (the generator is sequential)."""
import math

import torch

DEFAULTS = {
    'nBands': 5, 'minF': 20, 'maxF': 8000, 'minBW': 100, 'maxBW': 1000, 'minCoeff': 10, 'maxCoeff': 100,
    'minG': 0, 'maxG': 0, 'minBiasLinNonLin': 5, 'maxBiasLinNonLin': 20, 'N_f': 5, 'P': 10, 'g_sd': 2,
    'SNRmin': 10, 'SNRmax': 40,
}


def rawboost(samples, sample_rate, algorithm, rng, p=DEFAULTS):
    """Algorithm `algorithm` (1-8; 0 returns a copy) on a 1-D waveform; returns a new float32 tensor."""
    x = samples.detach().to(torch.float64).flatten().clone()
    lnl = lambda v: lnl_convolutive_noise(v, sample_rate, rng.fork('lnl'), p)  # noqa: E731
    isd = lambda v: isd_additive_noise(v, rng.fork('isd'), p)  # noqa: E731
    ssi = lambda v: ssi_additive_noise(v, sample_rate, rng.fork('ssi'), p)  # noqa: E731
    if algorithm == 0:
        y = x
    elif algorithm == 1:
        y = lnl(x)
    elif algorithm == 2:
        y = isd(x)
    elif algorithm == 3:
        y = ssi(x)
    elif algorithm == 4:
        y = ssi(isd(lnl(x)))
    elif algorithm == 5:
        y = isd(lnl(x))
    elif algorithm == 6:
        y = ssi(lnl(x))
    elif algorithm == 7:
        y = ssi(isd(x))
    elif algorithm == 8:
        y = normalise_peak(lnl(x) + isd(x), False)
    else:
        raise ValueError(f'RawBoost algorithm must be an integer 0-8 (got {algorithm})')
    return y.to(torch.float32).reshape(samples.shape)


def lnl_convolutive_noise(x, sample_rate, rng, p):
    """Sum over i = 1..N_f of x^i through its own notch cascade, the non-linear terms shifted down by one drawn bias."""
    y = torch.zeros_like(x)
    bias = rng.between(p['minBiasLinNonLin'], p['maxBiasLinNonLin'])
    for i in range(p['N_f']):
        shift = 0 if i == 0 else bias
        b = notch_coefficients(rng, p, sample_rate, p['minG'] - shift, p['maxG'] - shift)
        y = y + filter_fir(x ** (i + 1), b)
    y = y - y.sum() / (len(y) or 1)
    return normalise_peak(y, False)


def isd_additive_noise(x, rng, p):
    """beta ~ U[0, P] percent of the samples (distinct, by a partial Fisher-Yates) get x + g_sd x (2u1-1)(2u2-1)."""
    beta = rng.between(0, p['P'])
    n = len(x)
    count = math.floor((n * beta) / 100)
    positions = list(range(n))
    draws = rng.uniforms(3 * count)
    at, factors = [0] * count, [0.0] * count
    for i in range(count):
        # Rng.int(n - i): min(n - i - 1, floor(u (n - i))).
        j = i + min(n - i - 1, math.floor(draws[3 * i] * (n - i)))
        positions[i], positions[j] = positions[j], positions[i]
        at[i] = positions[i]
        factors[i] = (2 * draws[3 * i + 1] - 1) * (2 * draws[3 * i + 2] - 1)
    y = x.clone()
    if count:
        index = torch.tensor(at, dtype=torch.long)
        y[index] = x[index] + p['g_sd'] * x[index] * torch.tensor(factors, dtype=torch.float64)
    return normalise_peak(y, False)


def ssi_additive_noise(x, sample_rate, rng, p):
    """White noise through a notch cascade, peak-normalised, added at an SNR ~ U[SNRmin, SNRmax] dB."""
    white = torch.tensor(rng.normals(len(x)), dtype=torch.float64)
    b = notch_coefficients(rng, p, sample_rate, p['minG'], p['maxG'])
    noise = normalise_peak(filter_fir(white, b), True)
    snr = rng.between(p['SNRmin'], p['SNRmax'])
    noise_norm = math.sqrt(float((noise * noise).sum()))
    scale = 0 if noise_norm == 0 else math.sqrt(float((x * x).sum())) / noise_norm / 10 ** (0.05 * snr)
    return x + noise * scale


def notch_coefficients(rng, p, sample_rate, min_g, max_g):
    """genNotchCoeffs: nBands band-stop firwin filters (odd orders) cascaded, scaled to a peak gain of G dB."""
    nyquist = sample_rate / 2
    b = [1.0]
    for _ in range(p['nBands']):
        centre = rng.between(p['minF'], min(p['maxF'], nyquist))
        width = rng.between(p['minBW'], p['maxBW'])
        taps = math.floor(rng.between(p['minCoeff'], p['maxCoeff']))
        if taps % 2 == 0:
            taps += 1
        low, high = centre - width / 2, centre + width / 2
        if low <= 0:
            low = 1 / 1000
        if high >= nyquist:
            high = nyquist - 1 / 1000
        b = convolve(firwin(taps, [low, high], sample_rate, True), b)
    gain = rng.between(min_g, max_g)
    b = torch.tensor(b, dtype=torch.float64)
    return b * (10 ** (gain / 20) / peak_magnitude(b))


def firwin(numtaps, cutoff_hz, sample_rate, pass_zero=True):
    """scipy.signal.firwin (hamming window, scale=True), as firwin.ts writes it out."""
    nyquist = sample_rate / 2
    cutoff = [f / nyquist for f in cutoff_hz]
    if any(c <= 0 or c >= 1 for c in cutoff):
        raise ValueError(f'firwin: cutoffs must lie strictly between 0 and {nyquist} Hz (got {cutoff_hz})')
    pass_nyquist = (len(cutoff) % 2 == 1) != pass_zero
    if pass_nyquist and numtaps % 2 == 0:
        raise ValueError('firwin: a filter that passes the Nyquist frequency needs an odd number of taps')
    edges = ([0] if pass_zero else []) + cutoff + ([1] if pass_nyquist else [])
    alpha = 0.5 * (numtaps - 1)
    h = []
    for i in range(numtaps):
        m = i - alpha
        value = 0.0
        for b in range(0, len(edges) - 1, 2):
            left, right = edges[b], edges[b + 1]
            value += right * _sinc(right * m) - left * _sinc(left * m)
        window = 1 if numtaps == 1 else 0.54 - 0.46 * math.cos((2 * math.pi * i) / (numtaps - 1))
        h.append(value * window)
    left, right = edges[0], edges[1]
    frequency = 0 if left == 0 else 1 if right == 1 else 0.5 * (left + right)
    total = 0.0
    for i in range(numtaps):
        total += h[i] * math.cos(math.pi * (i - alpha) * frequency)
    return [v / total for v in h]


def _sinc(x):
    if x == 0:
        return 1
    y = math.pi * x
    return math.sin(y) / y


def convolve(a, b):
    """Full linear convolution of two coefficient lists (cascading filters)."""
    out = [0.0] * (len(a) + len(b) - 1)
    for i, ai in enumerate(a):
        for j, bj in enumerate(b):
            out[i + j] += ai * bj
    return out


def peak_magnitude(b):
    """max |H(e^jw)| on scipy freqz's default grid (512 points on [0, pi)), through one 1024-point FFT."""
    size = 1024
    folded = torch.zeros(size, dtype=torch.float64)
    for start in range(0, len(b), size):
        chunk = b[start:start + size]
        folded[:len(chunk)] += chunk
    return float(torch.fft.rfft(folded)[:size // 2].abs().max())


def filter_fir(x, b):
    """RawBoost's filterFIR: lfilter(b, 1, x) on x padded with zeros, delayed back by floor((len(b)+1)/2)."""
    n, taps = len(x), len(b)
    offset = (taps + 1) // 2
    length = n + taps - 1
    size = 1 << max(1, (length - 1).bit_length())
    full = torch.fft.irfft(torch.fft.rfft(x, size) * torch.fft.rfft(b, size), size)[:length]
    out = torch.zeros(n, dtype=torch.float64)
    keep = max(0, min(n, length - offset))
    out[:keep] = full[offset:offset + keep]
    return out


def normalise_peak(y, always):
    """normWav: divide by the peak always, or only when it exceeds 1."""
    peak = float(y.abs().max()) if len(y) else 0.0
    if peak == 0 or (not always and peak <= 1):
        return y
    return y / peak
