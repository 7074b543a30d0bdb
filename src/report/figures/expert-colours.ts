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
