import type { Label, Split } from '../item.js';
import { Rng } from '../../util/rng.js';
import { applyChannel } from './channel.js';
import type { DomainSpec } from './domains.js';
import { familyNamed } from './families/index.js';
import { gateSilences, normaliseLoudness } from './levels.js';
import { naturalStyle, renderSpeech, type RenderStyle } from './render.js';
import { audibleRange, drawPlan, drawTiming } from './script.js';
import { drawVoice, type Voice } from './voice.js';
import { SYNTH_VERSION } from './options.js';

export interface ItemRequest {
  seed: number;
  domain: DomainSpec;
  split: Split;
  label: Label;
  /** Index within (domain, split, label). */
  index: number;
  clipSeconds: number;
  sampleRate: number;
  /** Generator version (default: the current one); part of every seed. */
  version?: number;
}

export interface GeneratedItem {
  samples: Float64Array;
  speaker: string;
  attack?: string;
  /** Loudness had to give way to the peak limit. */
  limited: boolean;
  /** Where sound starts, seconds: the true leading silence. */
  soundStart: number;
}

/** Speakers per split and domain: disjoint across splits, so evaluation voices are new. */
export const speakersPerSplit: Readonly<Record<Split, number>> = { train: 8, dev: 3, eval: 4 };

/**
 * One clip of the corpus. Everything random comes from seeds derived from (corpus seed,
 * domain, split, label, index), so any item can be regenerated alone and adding items
 * never changes existing ones.
 */
export function makeItem(request: ItemRequest): GeneratedItem {
  const { seed, domain, split, label, index, sampleRate } = request;
  const version = request.version ?? SYNTH_VERSION;
  const rng = Rng.fromLabels('synth', version, seed, domain.name, split, label, index);
  const speakerIndex = rng.int(speakersPerSplit[split]);
  const speaker = `${domain.name}-${split}-s${speakerIndex}`;
  const voice: Voice = drawVoice(Rng.fromLabels('synth-voice', version, seed, speaker), speaker);
  const timing = drawTiming(rng.fork('timing'), request.clipSeconds);
  const plan = drawPlan(rng.fork('plan'), voice, timing);
  const renderRng = rng.fork('render');
  const render = (style: Partial<RenderStyle> = {}, rate = sampleRate, stream: Rng = renderRng): Float64Array =>
    renderSpeech(plan, voice, rate, stream, { ...naturalStyle, ...style });
  let speech: Float64Array;
  let attack: string | undefined;
  if (label === 'bonafide') {
    speech = render();
  } else {
    const family = familyNamed(domain.family);
    speech = fitLength(family.synthesize({ plan, voice, sampleRate, rng: rng.fork('family'), render }), Math.round(plan.durationSeconds * sampleRate));
    attack = family.name;
  }
  const [soundStart, soundEnd] = audibleRange(plan);
  gateSilences(speech, sampleRate, soundStart, soundEnd);
  const speechRange: [number, number] = [Math.round(plan.speechStart * sampleRate), Math.round(plan.speechEnd * sampleRate)];
  const channelRng = rng.fork('channel');
  const recorded = applyChannel(speech, domain.channel, sampleRate, speechRange, channelRng);
  const target = channelRng.between(domain.channel.loudnessDb[0], domain.channel.loudnessDb[1]);
  const { samples, limited } = normaliseLoudness(recorded, target);
  return attack === undefined ? { samples, speaker, limited, soundStart } : { samples, speaker, attack, limited, soundStart };
}

function fitLength(x: Float64Array, length: number): Float64Array {
  if (x.length === length) return x;
  const out = new Float64Array(length);
  out.set(x.subarray(0, length));
  return out;
}
