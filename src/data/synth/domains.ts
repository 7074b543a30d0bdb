import type { ChannelSpec } from './channel.js';

/**
 * The embedded corpus's domains: each pairs one spoof generator family with one channel.
 * d1-d4 are "known" (they have training data); the others are "unknown": unseen generator
 * families with their own channels, evaluation data only. Generator v1 had d5 and d6
 * (families sharing little or nothing with d1-d4); v2 (domainsFor) has unknown domains
 * that combine the known artefact classes and one control that shares none.
 */
export interface DomainSpec {
  name: string;
  known: boolean;
  family: string;
  channel: ChannelSpec;
}

const domainsV1: readonly DomainSpec[] = [
  {
    name: 'd1',
    known: true,
    family: 'phase-reconstruction',
    channel: {
      description: 'studio condenser: presence lift, quiet pink noise, 7.6 kHz band limit',
      highpassHz: 70,
      lowpassHz: 7600,
      eq: [{ kind: 'peak', hz: 4500, gainDb: 3, q: 1 }],
      noise: { color: 'pink', snrDb: [38, 48] },
      loudnessDb: [-30, -24],
    },
  },
  {
    name: 'd2',
    known: true,
    family: 'oversmoothed-parametric',
    channel: {
      description: 'headset: thin low end, 2.5 kHz peak, white noise, 6.8 kHz band limit',
      highpassHz: 150,
      lowpassHz: 6800,
      eq: [
        { kind: 'lowshelf', hz: 300, gainDb: -4, q: 0.7 },
        { kind: 'peak', hz: 2500, gainDb: 4, q: 1.2 },
      ],
      noise: { color: 'white', snrDb: [30, 40] },
      loudnessDb: [-33, -27],
    },
  },
  {
    name: 'd3',
    known: true,
    family: 'upsampling-images',
    channel: {
      description: 'laptop microphone: 1 kHz dip, brown (rumble) noise, 7.8 kHz band limit',
      highpassHz: 200,
      lowpassHz: 7800,
      eq: [{ kind: 'peak', hz: 1000, gainDb: -5, q: 1 }],
      noise: { color: 'brown', snrDb: [28, 38] },
      loudnessDb: [-32, -26],
    },
  },
  {
    name: 'd4',
    known: true,
    family: 'noise-residue',
    channel: {
      description: 'broadcast: warm low shelf, very quiet pink noise, 7.2 kHz band limit',
      highpassHz: 60,
      lowpassHz: 7200,
      eq: [{ kind: 'lowshelf', hz: 250, gainDb: 3, q: 0.7 }],
      noise: { color: 'pink', snrDb: [45, 55] },
      loudnessDb: [-29, -23],
    },
  },
  {
    name: 'd5',
    known: false,
    family: 'band-replication',
    channel: {
      description: 'wideband phone: 3 kHz peak, white noise, 50 Hz hum, 7 kHz band limit',
      highpassHz: 250,
      lowpassHz: 7000,
      eq: [{ kind: 'peak', hz: 3000, gainDb: 5, q: 1 }],
      noise: { color: 'white', snrDb: [32, 42] },
      hum: { hz: 50, levelDb: [-40, -30] },
      loudnessDb: [-32, -26],
    },
  },
  {
    name: 'd6',
    known: false,
    family: 'splicing',
    channel: {
      description: 'far-field in a small room: short reverberation, high shelf cut, pink noise, 7.4 kHz band limit',
      highpassHz: 90,
      lowpassHz: 7400,
      eq: [{ kind: 'highshelf', hz: 3000, gainDb: -4, q: 0.7 }],
      noise: { color: 'pink', snrDb: [30, 40] },
      reverb: { rt60: [0.15, 0.3], wet: 0.35 },
      loudnessDb: [-34, -28],
    },
  },
];

const known = domainsV1.filter((d) => d.known);
const splicingRoom = domainsV1.find((d) => d.name === 'd6') as DomainSpec;

/**
 * v2: d1-d4 as in v1 (same families and channels); d5 and d6 chain two known generators
 * each, recorded through channels no known domain uses; d7 is v1's splicing family in
 * v1's far-field room, sharing no artefact class with d1-d4: the honest control.
 */
const domainsV2: readonly DomainSpec[] = [
  ...known,
  {
    name: 'd5',
    known: false,
    family: 'residue-phase',
    // Quiet: the high band's pulse periodicity (d1's statistic) drowns in a 35 dB white noise floor.
    channel: {
      description: 'USB podcast microphone: 3 kHz presence peak, quiet pink noise, 100 Hz high-pass, 7.4 kHz band limit',
      highpassHz: 100,
      lowpassHz: 7400,
      eq: [{ kind: 'peak', hz: 3000, gainDb: 5, q: 1 }],
      noise: { color: 'pink', snrDb: [42, 52] },
      loudnessDb: [-32, -26],
    },
  },
  {
    name: 'd6',
    known: false,
    family: 'smoothed-images',
    channel: {
      description: 'handheld recorder: 500 Hz boost, 6 kHz peak, brown and white noise, 60 Hz hum, 7.6 kHz band limit',
      highpassHz: 120,
      lowpassHz: 7600,
      eq: [
        { kind: 'peak', hz: 500, gainDb: 4, q: 0.8 },
        { kind: 'peak', hz: 6000, gainDb: 3, q: 1.5 },
      ],
      noise: { color: 'brown', snrDb: [30, 40] },
      hum: { hz: 60, levelDb: [-45, -35] },
      loudnessDb: [-31, -25],
    },
  },
  { ...splicingRoom, name: 'd7' },
];

/**
 * v3 (opt-in, proposed by issue 19's investigation, docs/CORPUS.md): v2 with d5 and d6
 * partial: their combined artefacts on 15-30 % of each spoof, so pre-trained detectors land
 * at 10-25 % EER there instead of 0-2 %. Same channels; d7 unchanged.
 */
const domainsV3: readonly DomainSpec[] = domainsV2.map((d) =>
  d.name === 'd5' ? { ...d, family: 'partial-residue-phase' } : d.name === 'd6' ? { ...d, family: 'partial-smoothed-images' } : d,
);

/** The current generator's domains. */
export const domains: readonly DomainSpec[] = domainsV2;

/** The domains of generator `version` (1, 2 or 3): old corpora stay reproducible. */
export function domainsFor(version: number): readonly DomainSpec[] {
  if (version === 1) return domainsV1;
  if (version === 2) return domainsV2;
  if (version === 3) return domainsV3;
  throw new Error(`no synth generator version ${version}`);
}
