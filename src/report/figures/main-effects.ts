import { averagedOverSeeds, trialsAtLevel, uncrossedFactors } from '../data/effects.js';
import type { ReportData } from '../data/types.js';
import { figureHeader, levelText, type Figure, type VlSpec } from './figure.js';
import { dodge, levelAxis, levelPanelWidth, orderedLevels } from './level-axis.js';

export const effectGroups = [
  { key: '__known__', label: 'Known' },
  { key: '__unknown__', label: 'Unknown' },
  { key: '__all__', label: 'All' },
] as const;

/**
 * Figure 3a: for each swept factor, the mean EER at each level averaged over the other
 * factors, with 95 % intervals over seeds, for the known, unknown and all sets.
 */
export function mainEffectsFigure(data: ReportData): Figure | null {
  const panels: VlSpec[] = [];
  const values: Array<Record<string, unknown>> = [];
  for (const factor of data.factors) {
    const rows: Array<Record<string, unknown>> = [];
    const levels = orderedLevels(factor.levels);
    levels.forEach((level, order) => {
      const trials = trialsAtLevel(data.trials, factor.path, level);
      effectGroups.forEach((group, g) => {
        const summary = averagedOverSeeds(data, trials, group.key, 'eer');
        if (!summary) return;
        rows.push({
          factor: factor.path,
          level: levelText(level),
          x: dodge(order, g, effectGroups.length),
          group: group.label,
          mean: 100 * summary.mean,
          lower: 100 * summary.lower,
          upper: 100 * summary.upper,
          seeds: summary.n,
        });
      });
    });
    if (rows.length === 0) continue;
    values.push(...rows);
    panels.push(effectPanel(factor.path, levels.map(levelText), panels.length, uncrossedFactors(data, factor.path)));
  }
  if (panels.length === 0) return null;
  const spec: VlSpec = {
    ...figureHeader(data, 'Main effects on EER', ['each level averaged over the other factors; points: mean over seeds; lines: 95 % bootstrap interval over seeds']),
    data: { values },
    // Rows packed to a width, each panel at its own width (a grid pads narrow panels to the
    // widest of their column, leaving blank gaps); one EER scale, so effects compare across factors.
    vconcat: packRows(panels, maxRowWidth).map((row) => ({ hconcat: row, resolve: { scale: { y: 'shared', x: 'independent' } } })),
    resolve: { scale: { color: 'shared', y: 'shared', x: 'independent' } },
  };
  return {
    name: 'main-effects-eer',
    title: 'Main effects on EER',
    caption:
      'For each swept factor, the mean EER at each of its levels over all finished trials with that level (averaged within each seed, then over seeds), with 95 % bootstrap intervals over seeds, on the known, unknown and all sets. ' +
      'Where the levels of a factor ran with different mixes of other factors (e.g. pre-training off only for mixtures), the panel names those factors: its differences include theirs.',
    spec,
  };
}

/** About a double-column page at the report's scale; wider rows wrap. */
const maxRowWidth = 1150;
/** Axis, title and padding a panel adds to its plot width. */
const panelChrome = 70;

/** Greedy rows of panels no wider than `width` (a panel wider than that gets a row of its own). */
export function packRows(panels: VlSpec[], width: number): VlSpec[][] {
  const rows: VlSpec[][] = [];
  let used = 0;
  for (const panel of panels) {
    const w = (panel['width'] as number) + panelChrome;
    const row = rows.at(-1);
    if (row && used + w <= width) {
      row.push(panel);
      used += w;
    } else {
      rows.push([panel]);
      used = w;
    }
  }
  return rows;
}

/**
 * Mark names must be unique in the figure (Vega names their data after them), hence the
 * index. A factor whose levels ran with different mixes of other factors says which under
 * its title, since its level differences include theirs.
 */
function effectPanel(path: string, levels: string[], index: number, uncrossed: string[]): VlSpec {
  const labels = effectGroups.map((g) => g.label);
  const shown = uncrossed.length > 3 ? [...uncrossed.slice(0, 3), `+${uncrossed.length - 3} more`] : uncrossed;
  return {
    title: {
      text: path,
      anchor: 'middle',
      fontSize: 13,
      // Every panel has a subtitle line (blank where nothing differs) so plots in a row line up.
      subtitle: uncrossed.length > 0 ? `levels differ in ${shown.join(', ')}` : ' ',
      subtitleFontSize: 10,
      subtitleColor: '#a04000',
    },
    // One data set for the figure, filtered per panel (Vega-Lite merges per-panel inline data of the same shape).
    transform: [{ filter: { field: 'factor', equal: path } }],
    width: levelPanelWidth(levels),
    height: 170,
    encoding: {
      x: { field: 'x', ...levelAxis(levels, null) },
      color: { field: 'group', type: 'nominal', sort: labels, title: 'Sets', scale: { domain: labels, range: ['#4c78a8', '#e45756', '#333333'] } },
    },
    layer: [
      {
        name: `effect_intervals_${index}`,
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { y: { field: 'lower', type: 'quantitative', title: 'EER (%)', scale: { zero: false } }, y2: { field: 'upper' } },
      },
      {
        name: `effects_${index}`,
        mark: { type: 'point', filled: true, size: 50, opacity: 1 },
        encoding: {
          y: { field: 'mean', type: 'quantitative' },
          tooltip: [{ field: 'factor' }, { field: 'level' }, { field: 'group' }, { field: 'mean', format: '.2f' }, { field: 'lower', format: '.2f' }, { field: 'upper', format: '.2f' }, { field: 'seeds' }],
        },
      },
    ],
  };
}
