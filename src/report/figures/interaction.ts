import { UserError } from '../../util/errors.js';
import { averagedOverSeeds, trialsAtLevel } from '../data/effects.js';
import type { ReportData } from '../data/types.js';
import { figureHeader, levelText, type Figure, type VlSpec } from './figure.js';
import { slugOf } from '../data/labels.js';
import { dodge, levelAxis, orderedLevels } from './level-axis.js';

/**
 * Figure 3b: the interaction of two factors: mean EER over all sets at each level of `a`
 * (x axis), one line per level of `b`, averaged over the other factors, with 95 % intervals
 * over seeds. Parallel lines mean no interaction.
 */
export function interactionFigure(data: ReportData, a: string, b: string): Figure | null {
  for (const path of [a, b]) {
    if (!data.factors.some((f) => f.path === path)) {
      const names = data.factors.map((f) => f.path).join(', ') || '(none)';
      throw new UserError(`--interaction: ${path} is not a swept factor of ${data.sweep.name}. Swept factors: ${names}. Give two of them, e.g. --interaction ${data.factors[0]?.path ?? 'a'},${data.factors[1]?.path ?? 'b'}.`);
    }
  }
  if (a === b) throw new UserError(`--interaction: give two different factors (got ${a} twice).`);
  // Numeric levels ascending, as in the main effects.
  const [factorA, factorB] = [a, b].map((path) => {
    const factor = data.factors.find((f) => f.path === path) as ReportData['factors'][number];
    return { ...factor, levels: orderedLevels(factor.levels) };
  }) as [ReportData['factors'][number], ReportData['factors'][number]];
  const rows: Array<Record<string, unknown>> = [];
  factorA.levels.forEach((levelA, orderA) => {
    const atA = trialsAtLevel(data.trials, a, levelA);
    factorB.levels.forEach((levelB, orderB) => {
      const summary = averagedOverSeeds(data, trialsAtLevel(atA, b, levelB), '__all__', 'eer');
      if (!summary) return;
      rows.push({ a: levelText(levelA), x: dodge(orderA, orderB, factorB.levels.length), b: levelText(levelB), mean: 100 * summary.mean, lower: 100 * summary.lower, upper: 100 * summary.upper, seeds: summary.n });
    });
  });
  if (rows.length === 0) return null;
  const bLevels = factorB.levels.map(levelText);
  const spec: VlSpec = {
    ...figureHeader(data, `Interaction of ${a} and ${b} on EER`, ['EER over all sets, averaged over the other factors; lines: 95 % bootstrap interval over seeds']),
    data: { values: rows },
    width: Math.max(240, 110 * factorA.levels.length),
    height: 240,
    encoding: {
      x: { field: 'x', ...levelAxis(factorA.levels.map(levelText), a) },
      color: { field: 'b', type: 'nominal', sort: bLevels, title: b },
    },
    layer: [
      { name: 'interaction_lines', mark: { type: 'line', strokeWidth: 1.5 }, encoding: { y: { field: 'mean', type: 'quantitative' }, detail: { field: 'b' }, order: { field: 'x' } } },
      { name: 'interaction_intervals', mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'lower', type: 'quantitative', title: 'EER (%), all sets', scale: { zero: false } }, y2: { field: 'upper' } } },
      {
        name: 'interaction_points',
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          y: { field: 'mean', type: 'quantitative' },
          tooltip: [{ field: 'a', title: a }, { field: 'b', title: b }, { field: 'mean', format: '.2f' }, { field: 'lower', format: '.2f' }, { field: 'upper', format: '.2f' }, { field: 'seeds' }],
        },
      },
    ],
  };
  return {
    name: `interaction-eer-${slugOf(a, a)}-${slugOf(b, b)}`,
    title: `Interaction: ${a} × ${b}`,
    caption: `Mean EER over all sets at each level of ${a}, one line per level of ${b}, averaged over the other factors, with 95 % bootstrap intervals over seeds. Parallel lines mean the two factors do not interact.`,
    spec,
  };
}
