import { uncrossedFactors } from '../data/effects.js';
import { balancedEffect, type BalancedEffect } from '../data/balanced-effects.js';
import { canonicalJson } from '../../util/hash.js';
import type { ReportData } from '../data/types.js';
import { figureHeader, levelText, type Figure, type VlSpec } from './figure.js';
import { dodge, levelAxis, levelLines, levelPanelWidth, orderedLevels } from './level-axis.js';
import { paperHeader, paperPngScale, paperWidths, textWidth, type PaperWidth } from './paper.js';

/** Sizes of the report's figure and of its paper variants. */
interface Layout {
  rowWidth: number;
  /** Axis, title and padding a panel adds to its plot width. */
  chrome: number;
  height: number;
  titleSize: number;
  subtitleSize: number;
  pointSize: number;
  panelWidth: (levels: string[]) => number;
  legend: VlSpec;
  /** Characters a level's label line may take before it breaks after a slash. */
  maxLine: number;
  /** Under a panel drawn from marginal means (no cell ran every level): as short as the panel allows. */
  marginalNote: (uncrossed: string[]) => string;
}

const reportLayout: Layout = { rowWidth: 1150, chrome: 70, height: 170, titleSize: 13, subtitleSize: 10, pointSize: 50,
  panelWidth: levelPanelWidth,
  legend: {},
  maxLine: Infinity,
  marginalNote: (uncrossed) =>
    uncrossed.length === 0 ? 'marginal means' : `marginal: differ in ${uncrossed.length > 2 ? `${uncrossed.slice(0, 2).join(', ')} +${uncrossed.length - 2}` : uncrossed.join(', ')}`,
};

function paperLayout(size: PaperWidth): Layout {
  return {
    rowWidth: paperWidths[size] - 6,
    chrome: 44,
    height: 70,
    titleSize: 8,
    subtitleSize: 6,
    pointSize: 14,
    legend: { orient: 'bottom', direction: 'horizontal', title: null },
    panelWidth: (levels) => Math.max(50, levels.length * Math.max(22, Math.max(...levels.flatMap((l) => levelLines(l, 10)).map((l) => textWidth(l, 7))) + 4)),
    maxLine: 10,
    marginalNote: () => 'marginal means',
  };
}

export const effectGroups = [
  { key: '__known__', label: 'Known' },
  { key: '__unknown__', label: 'Unknown' },
  { key: '__all__', label: 'All' },
] as const;

/**
 * Figure 3a: for each swept factor, the mean EER at each level averaged over the other
 * factors, with 95 % intervals over seeds, for the known, unknown and all sets.
 */
export function mainEffectsFigure(data: ReportData, paper?: PaperWidth): Figure | null {
  const layout = paper ? paperLayout(paper) : reportLayout;
  const panels: VlSpec[] = [];
  const values: Array<Record<string, unknown>> = [];
  for (const factor of data.factors) {
    const rows: Array<Record<string, unknown>> = [];
    const levels = orderedLevels(factor.levels);
    const estimates = effectGroups.map((group) => balancedEffect(data, factor.path, group.key, 'eer', { iterations: 200 }));
    levels.forEach((level, order) => {
      effectGroups.forEach((group, g) => {
        const summary = estimates[g]?.levels.find((l) => canonicalJson(l.level) === canonicalJson(level))?.summary;
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
          estimate: estimates[g]?.estimate,
        });
      });
    });
    if (rows.length === 0) continue;
    values.push(...rows);
    panels.push(effectPanel(factor.path, levels.map(levelText), panels.length, uncrossedFactors(data, factor.path), layout, estimates.find((e) => e !== null) ?? null));
  }
  if (panels.length === 0) return null;
  const spec: VlSpec = {
    ...(paper ? paperHeader(data) : figureHeader(data, 'Main effects on EER', ['each level averaged over the cells (equal in every other factor) that ran every level; points: mean over seeds; lines: 95 % bootstrap interval over seeds'])),
    data: { values },
    // Rows packed to a width, each panel at its own width (a grid pads narrow panels to the
    // widest of their column, leaving blank gaps); one EER scale, so effects compare across factors.
    vconcat: packRows(panels, layout.rowWidth, layout.chrome).map((row) => ({ hconcat: row, resolve: { scale: { y: 'shared', x: 'independent' } } })),
    resolve: { scale: { color: 'shared', y: 'shared', x: 'independent' } },
  };
  if (paper) {
    return {
      name: `paper-${paper}-main-effects-eer`,
      title: `Main effects on EER (paper, ${paper} column)`,
      caption: `The main effects figure at ${paper === 'single' ? 'one column' : 'the page width'} (${paperWidths[paper]} pt): mean EER at each level of each swept factor with 95 % bootstrap intervals over seeds, on the known, unknown and all sets; one EER scale for all panels.`,
      spec,
      pngScale: paperPngScale,
    };
  }
  return {
    name: 'main-effects-eer',
    title: 'Main effects on EER',
    caption:
      'For each swept factor, the mean EER at each of its levels over the balanced cells: configurations equal in every other factor that ran every level of this one (a parameter that exists only at some levels, as routing.k under top-k, is part of the level). ' +
      'Means are taken within each seed, then over seeds, with 95 % bootstrap intervals over seeds, on the known, unknown and all sets. ' +
      'A panel on part of the grid says on how many cells; where no cell ran every level, the panel shows marginal means (all trials with the level) and says so, with the factors its levels ran with: its differences then include theirs. ' +
      'The level differences with paired intervals and p-values are in tables/main-effects.md.',
    spec,
  };
}

/** Greedy rows of panels no wider than `width` (a panel wider than that gets a row of its own). */
export function packRows(panels: VlSpec[], width: number, panelChrome: number): VlSpec[][] {
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
function effectPanel(path: string, levels: string[], index: number, uncrossed: string[], layout: Layout, estimate: BalancedEffect | null): VlSpec {
  const labels = effectGroups.map((g) => g.label);
  // Marginal means say so; a balanced estimate on part of the grid says how much of it.
  const note =
    estimate?.estimate === 'marginal'
      ? layout.marginalNote(uncrossed)
      : estimate && estimate.cells < estimate.of
        ? `balanced on ${estimate.cells} of ${estimate.of} cells`
        : ' ';
  return {
    title: {
      text: path,
      anchor: 'middle',
      fontSize: layout.titleSize,
      // Every panel has a subtitle line (blank where nothing differs) so plots in a row line up.
      subtitle: note,
      subtitleFontSize: layout.subtitleSize,
      subtitleColor: '#a04000',
    },
    // One data set for the figure, filtered per panel (Vega-Lite merges per-panel inline data of the same shape).
    transform: [{ filter: { field: 'factor', equal: path } }],
    width: layout.panelWidth(levels),
    height: layout.height,
    encoding: {
      x: { field: 'x', ...levelAxis(levels, null, layout.maxLine) },
      color: { field: 'group', type: 'nominal', sort: labels, title: 'Sets', scale: { domain: labels, range: ['#4c78a8', '#e45756', '#333333'] }, legend: layout.legend },
    },
    layer: [
      {
        name: `effect_intervals_${index}`,
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { y: { field: 'lower', type: 'quantitative', title: 'EER (%)', scale: { zero: false } }, y2: { field: 'upper' } },
      },
      {
        name: `effects_${index}`,
        mark: { type: 'point', filled: true, size: layout.pointSize, opacity: 1 },
        encoding: {
          y: { field: 'mean', type: 'quantitative' },
          tooltip: [{ field: 'factor' }, { field: 'level' }, { field: 'group' }, { field: 'mean', format: '.2f' }, { field: 'lower', format: '.2f' }, { field: 'upper', format: '.2f' }, { field: 'seeds' }],
        },
      },
    ],
  };
}
