import type { ReportData } from '../data/types.js';
import type { ConfigurationIntervals } from '../data/item-intervals.js';
import { comparisonFigure } from './comparison.js';
import type { Figure } from './figure.js';
import { gatingGroupHeatmaps, gatingHeatmaps } from './gating-heatmap.js';
import { interactionFigure } from './interaction.js';
import { knownUnknownFigure } from './known-unknown.js';
import { mainEffectsFigure } from './main-effects.js';
import { paperComparisonFigure } from './paper-comparison.js';
import { trainingCurveFigures } from './training-curves.js';

export interface FigureOptions {
  /** Two factors for an interaction plot (`--interaction a,b`). */
  interaction?: [string, string];
  /** Intervals over items and seeds per configuration (item-intervals.ts); the EER comparison and the known-vs-unknown figure draw them where present. */
  intervals?: ConfigurationIntervals;
}

/** Every figure the data allow, in the order the report shows them; figures without data are left out. */
export function buildFigures(data: ReportData, options: FigureOptions = {}): Figure[] {
  const figures: Array<Figure | null> = [
    comparisonFigure(data, 'eer', options.intervals),
    comparisonFigure(data, 'auc'),
    mainEffectsFigure(data),
    options.interaction ? interactionFigure(data, ...options.interaction) : null,
    knownUnknownFigure(data, undefined, options.intervals),
    ...gatingHeatmaps(data),
    ...gatingGroupHeatmaps(data),
    ...trainingCurveFigures(data),
    // The paper variants: headline numbers at a column's and at the page's width.
    paperComparisonFigure(data, 'eer', 'single', options.intervals),
    paperComparisonFigure(data, 'eer', 'double', options.intervals),
    mainEffectsFigure(data, 'single'),
    mainEffectsFigure(data, 'double'),
    knownUnknownFigure(data, 'single', options.intervals),
    knownUnknownFigure(data, 'double', options.intervals),
  ];
  return figures.filter((f): f is Figure => f !== null);
}
