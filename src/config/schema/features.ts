import type { FromSchema } from 'json-schema-to-ts';

/**
 * One feature front end. Field names follow torchaudio's parameters in camelCase
 * (n_fft = nFft, win_length = winLength, ...). Defaults are torchaudio's, so a config
 * that names only torchaudio's arguments reproduces torchaudio exactly; the field's
 * recipe (pre-emphasis 0.97, per-bin mean normalisation) is switched on explicitly in
 * the sweeps that use it.
 */
export const featureConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: {
      enum: ['mel', 'logspec', 'lfcc', 'mfcc', 'waveform'],
      description: 'mel = log-mel spectrogram; logspec = log power spectrogram; lfcc/mfcc = cepstra; waveform = raw samples (for raw-waveform experts).',
    },
    nFft: { type: 'integer', minimum: 16, maximum: 65536, description: 'FFT size (torchaudio n_fft). Default 400.' },
    winLength: { type: 'integer', minimum: 1, description: 'window length in samples (default nFft).' },
    hopLength: { type: 'integer', minimum: 1, description: 'hop in samples (default winLength / 2).' },
    window: { enum: ['hann', 'hamming'], description: 'periodic window (default hann).' },
    fMin: { type: 'number', minimum: 0, description: 'lowest filter frequency in Hz (default 0).' },
    fMax: { type: 'number', exclusiveMinimum: 0, description: 'highest filter frequency in Hz (default sampleRate / 2).' },
    nMels: { type: 'integer', minimum: 1, description: 'mel bands (default 128; mfcc uses them before the DCT).' },
    melScale: { enum: ['htk', 'slaney'], description: 'mel scale (default htk).' },
    norm: { enum: ['none', 'slaney'], description: 'filter normalisation (default none).' },
    logEps: { type: 'number', exclusiveMinimum: 0, description: 'added before the natural log (default 1e-6).' },
    nFilter: { type: 'integer', minimum: 1, description: 'linear filters for lfcc (default 128).' },
    nLfcc: { type: 'integer', minimum: 1, description: 'lfcc coefficients (default 40).' },
    nMfcc: { type: 'integer', minimum: 1, description: 'mfcc coefficients (default 40).' },
    deltas: { type: 'integer', minimum: 0, maximum: 2, description: 'append delta (1) and delta-delta (2) features (default 0).' },
    preEmphasis: { type: 'number', minimum: 0, maximum: 1, description: 'pre-emphasis coefficient, 0 = off (default 0; the authors use 0.97).' },
    meanNorm: { type: 'boolean', description: "subtract each bin's mean over time (default false; the authors' mel front end does)." },
  },
} as const;

export type FeatureConfig = FromSchema<typeof featureConfigSchema, { keepDefaultedPropertiesOptional: true }>;
export type FeatureKind = FeatureConfig['kind'];
