import { UserError } from '../../util/errors.js';
import type { FeatureConfig, FeatureKind } from '../../config/schema/features.js';

/** A FeatureConfig with every default filled in for one sample rate: what the extractor runs. */
export interface ResolvedFeatureConfig {
  kind: FeatureKind;
  sampleRate: number;
  nFft: number;
  winLength: number;
  hopLength: number;
  window: 'hann' | 'hamming';
  fMin: number;
  fMax: number;
  nMels: number;
  melScale: 'htk' | 'slaney';
  norm: 'none' | 'slaney';
  logEps: number;
  nFilter: number;
  nLfcc: number;
  nMfcc: number;
  deltas: 0 | 1 | 2;
  preEmphasis: number;
  meanNorm: boolean;
}

/**
 * The one place defaults are decided. They are torchaudio's (Spectrogram, MelSpectrogram,
 * LFCC, MFCC), as documented on the schema, so a config naming only torchaudio's
 * arguments reproduces torchaudio; logEps also serves LFCC/MFCC, whose log torchaudio
 * fixes at 1e-6 (the same default). Combinations torchaudio rejects are rejected here.
 */
export function resolveFeatureConfig(config: FeatureConfig, sampleRate: number): ResolvedFeatureConfig {
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new UserError(`feature extraction needs a positive integer sample rate, got ${sampleRate}.`);
  const nFft = config.nFft ?? 400;
  const winLength = config.winLength ?? nFft;
  const resolved: ResolvedFeatureConfig = {
    kind: config.kind,
    sampleRate,
    nFft,
    winLength,
    hopLength: config.hopLength ?? Math.max(1, Math.floor(winLength / 2)),
    window: config.window ?? 'hann',
    fMin: config.fMin ?? 0,
    // torchaudio's default is float(sample_rate // 2): integer division, for odd rates too.
    fMax: config.fMax ?? Math.floor(sampleRate / 2),
    nMels: config.nMels ?? 128,
    melScale: config.melScale ?? 'htk',
    norm: config.norm ?? 'none',
    logEps: config.logEps ?? 1e-6,
    nFilter: config.nFilter ?? 128,
    nLfcc: config.nLfcc ?? 40,
    nMfcc: config.nMfcc ?? 40,
    deltas: (config.deltas ?? 0) as 0 | 1 | 2,
    preEmphasis: config.preEmphasis ?? 0,
    meanNorm: config.meanNorm ?? false,
  };
  if (resolved.kind !== 'waveform') checkSpectral(resolved);
  return resolved;
}

function checkSpectral(c: ResolvedFeatureConfig): void {
  const fail = (field: string, message: string): never => {
    throw new UserError(`feature config: ${field} ${message}.`);
  };
  if (c.winLength > c.nFft) fail('winLength', `(${c.winLength}) must not exceed nFft (${c.nFft}), as in torchaudio`);
  if (c.kind === 'mel' || c.kind === 'mfcc' || c.kind === 'lfcc') {
    if (c.fMin >= c.fMax) fail('fMin', `(${c.fMin} Hz) must be below fMax (${c.fMax} Hz)`);
  }
  if (c.kind === 'mfcc' && c.nMfcc > c.nMels) fail('nMfcc', `(${c.nMfcc}) cannot exceed nMels (${c.nMels})`);
  if (c.kind === 'lfcc' && c.nLfcc > c.nFilter) fail('nLfcc', `(${c.nLfcc}) cannot exceed nFilter (${c.nFilter})`);
}
