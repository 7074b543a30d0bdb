import type { ConfigurationIntervals } from '../data/item-intervals.js';
import { summarize } from '../data/summaries.js';
import { aggregateSets, type Configuration, type ReportData } from '../data/types.js';
import { displayValue, metricInfo, metricTitle, seedValues } from '../data/values.js';
import type { Figure, VlSpec } from './figure.js';
import { paperHeader, paperPngScale, paperWidths, textWidth, twoLines, type PaperWidth } from './paper.js';

/** Mixtures shown: the best by the mean over all sets (a column has room for about this many rows). */
const topMixtures: Record<PaperWidth, number> = { single: 8, double: 12 };

/**
 * The comparison figure for a paper: only the headline sets (mean of known, of unknown, of
 * all), the best mixtures by the all-sets mean and every baseline, points with 95 % intervals
 * (over items and seeds where every seed left per-item scores, EER only; else over seeds) on axes fit to the data (a bar would need its axis to start at 0), at the width of
 * one column or of the page. The full figure keeps every set and configuration.
 */
export function paperComparisonFigure(data: ReportData, metric: 'eer' | 'auc', size: PaperWidth, intervals?: ConfigurationIntervals): Figure | null {
  const better = metricInfo[metric]?.better ?? 'min';
  const allMean = (c: Configuration) => {
    const s = summarize(seedValues(data, c, '__all__', metric));
    return s ? s.mean : null;
  };
  const scored = data.configurations.map((c) => ({ c, all: allMean(c) })).filter((x): x is { c: Configuration; all: number } => x.all !== null);
  if (scored.length === 0) return null;
  const order = (a: { all: number }, b: { all: number }) => (better === 'min' ? a.all - b.all : b.all - a.all);
  const mixtures = scored.filter((x) => x.c.kind === 'moe').sort(order).slice(0, topMixtures[size]);
  const baselines = scored.filter((x) => x.c.kind !== 'moe').sort(order);
  const shown = [...mixtures, ...baselines].map((x) => x.c);
  const rows: Array<Record<string, unknown>> = [];
  for (const configuration of shown) {
    for (const set of aggregateSets) {
      const summary = summarize(seedValues(data, configuration, set.key, metric));
      if (!summary) continue;
      const items = metric === 'eer' ? intervals?.get(configuration.key)?.get(set.key) : undefined;
      rows.push({
        configuration: configuration.label,
        kind: configuration.kind,
        set: set.label,
        mean: displayValue(metric, summary.mean),
        lower: displayValue(metric, items ? items.lower : summary.lower),
        upper: displayValue(metric, items ? items.upper : summary.upper),
        seeds: summary.n,
        interval: items ? 'items and seeds' : 'seeds',
      });
    }
  }
  const overItems = rows.filter((r) => r['interval'] === 'items and seeds').length;
  const sets = aggregateSets.map((s) => s.label).filter((s) => rows.some((r) => r['set'] === s));
  const labels = shown.map((c) => c.label);
  // Labels wrap to two lines where long; the panels share what the labels leave.
  const maxChars = size === 'single' ? 22 : 34;
  const labelLines = Object.fromEntries(labels.map((l) => [l, twoLines(l, maxChars)]));
  const labelWidth = Math.max(...Object.values(labelLines).flat().map((l) => textWidth(l, 7))) + 8;
  const panelWidth = Math.max(40, Math.floor((paperWidths[size] - labelWidth - 10 - (sets.length - 1) * 6) / sets.length));
  const rowStep = labels.some((l) => (labelLines[l]?.length ?? 1) > 1) ? 17 : 12;
  const title = metricTitle(metric);
  const spec: VlSpec = {
    ...paperHeader(data),
    data: { values: rows },
    facet: { column: { field: 'set', type: 'nominal', sort: sets, title: null } },
    spec: {
      width: panelWidth,
      height: { step: rowStep },
      encoding: {
        y: {
          field: 'configuration',
          type: 'nominal',
          sort: labels,
          title: null,
          // Two-line labels move up half a line, so both lines sit around their row's tick.
          axis: {
            labelExpr: `${JSON.stringify(labelLines)}[datum.value]`,
            labelLimit: 0,
            labelOffset: { expr: `length(${JSON.stringify(labelLines)}[datum.value]) > 1 ? -4 : 0` },
          },
        },
        color: { field: 'kind', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'horizontal', symbolType: 'circle' } },
      },
      layer: [
        {
          name: 'paper_intervals',
          mark: { type: 'rule', strokeWidth: 1 },
          encoding: { x: { field: 'lower', type: 'quantitative', title, scale: { zero: false, nice: true }, axis: { tickCount: 4 } }, x2: { field: 'upper' } },
        },
        {
          name: 'paper_means',
          mark: { type: 'point', filled: true, size: 18, opacity: 1 },
          encoding: {
            x: { field: 'mean', type: 'quantitative' },
            tooltip: [{ field: 'configuration' }, { field: 'set' }, { field: 'mean', format: '.2f' }, { field: 'lower', format: '.2f' }, { field: 'upper', format: '.2f' }, { field: 'seeds' }, { field: 'interval', title: 'interval over' }],
          },
        },
      ],
    },
    // Each panel's axis fits its own data: unknown-set EERs sit far from known ones.
    resolve: { scale: { x: 'independent' } },
  };
  const name = metricInfo[metric]?.title ?? metric;
  return {
    name: `paper-${size}-comparison-${metric}`,
    title: `${name} of the best configurations (paper, ${size} column)`,
    caption:
      `${name} on the known, the unknown and all evaluation sets (means over each group's sets) of the ${mixtures.length} best mixtures by the all-sets mean and the baselines: ` +
      `points at the mean over seeds, lines the 95 % bootstrap interval ${overItems === rows.length ? 'over items and seeds' : overItems === 0 ? 'over seeds' : 'over items and seeds (over seeds where per-item scores are missing)'}; axes fit to each panel's data. Sized for ${size === 'single' ? 'one column' : 'the page width'} (${paperWidths[size]} pt).`,
    spec,
    pngScale: paperPngScale,
  };
}
