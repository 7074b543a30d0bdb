import { expertLabel, type TrialConfig } from '../../search/index.js';
import type { ReportData } from '../data/types.js';

/**
 * Colours for experts (Tableau 10 without its blue, red and grey, which the known / unknown /
 * all series use): an expert keeps its colour in every figure of a report, since the sweep's
 * experts are numbered once, in the order the trials list them.
 */
const palette = ['#f58518', '#54a24b', '#b279a2', '#eeca3b', '#72b7b2', '#ff9da6', '#9d755d', '#4c78a8', '#e45756', '#bab0ac'];

/** The mixture's own curve and other non-expert series. */
export const mixtureColour = '#222222';

/** Expert label ("lcnn/mel") -> colour, for every expert any trial of the sweep uses. */
export function expertColours(data: ReportData): Map<string, string> {
  const colours = new Map<string, string>();
  for (const trial of data.trials) {
    const experts = trial.view['experts'];
    if (!Array.isArray(experts)) continue;
    for (const expert of experts) {
      const label = expertLabel(expert as unknown as TrialConfig['experts'][number]);
      if (!colours.has(label)) colours.set(label, palette[colours.size % palette.length] as string);
    }
  }
  return colours;
}

/** Colours for series that are not single experts (mixtures, ensembles): none of the experts' colours. */
const otherPalette = ['#1f77b4', '#d62728', '#17becf', '#8c564b', '#7f7f7f', '#bcbd22', '#2ca02c', '#9467bd', '#e377c2', '#ff7f0e', '#aec7e8', '#98df8a', '#c5b0d5', '#c49c94', '#dbdb8d', '#9edae5', '#ffbb78', '#f7b6d2', '#c7c7c7', '#393b79'];

/**
 * A colour per configuration: a single-expert baseline takes its expert's colour (the one
 * its training curves and gating labels use); the others take colours no expert has.
 */
export function configurationColours(data: ReportData, labels: string[]): string[] {
  const experts = expertColours(data);
  const taken = new Set(experts.values());
  const free = otherPalette.filter((c) => !taken.has(c));
  let next = 0;
  return labels.map((label) => {
    const configuration = data.configurations.find((c) => c.label === label);
    const set = configuration?.trials[0]?.view['expertSet'];
    if (configuration?.kind === 'single' && typeof set === 'string' && experts.has(set)) return experts.get(set) as string;
    return free[next++ % free.length] as string;
  });
}
