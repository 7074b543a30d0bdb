/** What every dataset adapter yields and every later stage consumes. */
export type Label = 'bonafide' | 'spoof';
export type Split = 'train' | 'dev' | 'eval';

export interface DatasetItem {
  /** Unique within its dataset (the utterance id of the protocol, or the file stem). */
  id: string;
  /** Absolute path of the audio file. */
  path: string;
  label: Label;
  /** The dataset's name in the sweep (e.g. "asv19", "synth"). */
  dataset: string;
  /** Domain within the dataset (one per source/generator family); equals `dataset` when it has one. */
  domain: string;
  split: Split;
  attack?: string;
  speaker?: string;
  codec?: string;
  /** Any other metadata the protocol has (column name -> value). */
  meta?: Record<string, string>;
}

/**
 * How a file becomes a fixed-length clip: resampled to `sampleRate`, then cropped (or
 * tiled when short) to `clipSeconds`. `crop: 'random'` takes one seeded random window per
 * item (so it is cacheable), `center` the middle window (evaluation).
 */
export interface ClipPolicy {
  sampleRate: number;
  clipSeconds: number;
  crop: 'random' | 'center';
  seed: number;
  /** A random crop's short clips tiled from a seeded random offset (`data.tileOffset: random`), not the start. */
  tileOffset?: 'random';
}
