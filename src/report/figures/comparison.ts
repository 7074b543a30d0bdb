import { summarize } from '../data/summaries.js';
import type { ReportData } from '../data/types.js';
import type { ConfigurationIntervals } from '../data/item-intervals.js';
import { displayValue, metricInfo, metricTitle, seedValues } from '../data/values.js';
import { figureHeader, type Figure, type VlSpec } from './figure.js';

interface Column {
  dataset: string;
  label: string;
  panel: 'known' | 'unknown' | 'all';
}

const panelTitles = { known: 'Known sets', unknown: 'Unknown sets', all: 'All sets' } as const;

/**
 * Figure 1: a metric per evaluation set per configuration, bars at the mean over seeds with
 * 95 % bootstrap intervals, in known / unknown / all panels (each panel ends with the mean
 * over its sets). Configurations are rows, so dozens of them stay readable.
 */
export function comparisonFigure(data: ReportData, metric: 'eer' | 'auc', intervals?: ConfigurationIntervals): Figure | null {
  const columns: Column[] = [
    ...data.evaluationSets.filter((s) => s.group === 'known').map((s) => ({ dataset: s.name, label: s.name, panel: 'known' as const })),
    { dataset: '__known__', label: 'mean of known', panel: 'known' },
    ...data.evaluationSets.filter((s) => s.group === 'unknown').map((s) => ({ dataset: s.name, label: s.name, panel: 'unknown' as const })),
    { dataset: '__unknown__', label: 'mean of unknown', panel: 'unknown' },
    { dataset: '__all__', label: 'mean of all', panel: 'all' },
  ];
  const rows: Array<Record<string, unknown>> = [];
  for (const configuration of data.configurations) {
    for (const column of columns) {
      const summary = summarize(seedValues(data, configuration, column.dataset, metric));
      if (!summary) continue;
      // Over items and seeds where every seed left per-item scores (EER only), else over seeds.
      const items = metric === 'eer' ? intervals?.get(configuration.key)?.get(column.dataset) : undefined;
      rows.push({
        configuration: configuration.label,
        kind: configuration.kind,
        dataset: column.label,
        panel: column.panel,
        mean: displayValue(metric, summary.mean),
        lower: displayValue(metric, items ? items.lower : summary.lower),
        upper: displayValue(metric, items ? items.upper : summary.upper),
        seeds: summary.n,
        interval: items ? 'items and seeds' : 'seeds',
      });
    }
  }
  if (rows.length === 0) return null;
  const configurationOrder = data.configurations.map((c) => c.label);
  const upper = Math.max(...rows.map((r) => r['upper'] as number));
  const domain = metricInfo[metric]?.percent ? [0, Math.min(100, niceCeiling(upper))] : [0, niceCeiling(upper)];
  const panels = (['known', 'unknown', 'all'] as const).filter((p) => rows.some((r) => r['panel'] === p));
  const title = metricInfo[metric]?.title ?? metric;
  const spec: VlSpec = {
    ...figureHeader(data, `${title} per evaluation set and configuration`, [
      rows.some((r) => r['interval'] === 'items and seeds')
        ? `bars: mean over seeds; lines: 95 % bootstrap interval over items and seeds${rows.every((r) => r['interval'] === 'items and seeds') ? '' : ' (over seeds where per-item scores are missing or too many)'}`
        : 'bars: mean over seeds; lines: 95 % bootstrap interval over seeds',
    ]),
    data: { values: rows },
    hconcat: panels.map((panel, index) => ({
      title: { text: panelTitles[panel], anchor: 'middle', fontSize: 13 },
      transform: [{ filter: { field: 'panel', equal: panel } }],
      facet: {
        column: {
          field: 'dataset',
          type: 'nominal',
          sort: columns.filter((c) => c.panel === panel).map((c) => c.label),
          title: null,
        },
      },
      spec: {
        width: 120,
        height: Math.max(60, configurationOrder.length * 18),
        layer: [
          {
            name: `bars_${panel}`,
            mark: { type: 'bar', opacity: 0.85 },
            encoding: {
              y: {
                field: 'configuration',
                type: 'nominal',
                sort: configurationOrder,
                // Labels name the configurations; a title beside them only collides with long ones.
                title: null,
                axis: index === 0 ? { labelLimit: 440 } : null,
              },
              x: { field: 'mean', type: 'quantitative', title: metricTitle(metric), scale: { domain, nice: false } },
              color: { field: 'kind', type: 'nominal', title: 'Kind', legend: { orient: 'right' } },
              tooltip: [
                { field: 'configuration' },
                { field: 'dataset' },
                { field: 'mean', format: '.2f' },
                { field: 'lower', format: '.2f' },
                { field: 'upper', format: '.2f' },
                { field: 'seeds' },
                { field: 'interval', title: 'interval over' },
              ],
            },
          },
          {
            name: `intervals_${panel}`,
            mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
            encoding: {
              y: { field: 'configuration', type: 'nominal', sort: configurationOrder },
              x: { field: 'lower', type: 'quantitative' },
              x2: { field: 'upper' },
            },
          },
        ],
      },
    })),
    resolve: { scale: { y: 'shared', x: 'shared', color: 'shared' } },
  };
  return {
    name: `comparison-${metric}`,
    title: `${title} per evaluation set and configuration`,
    caption: `${title} of each configuration on each evaluation set, known and unknown, with the mean over the sets of each group: bars at the mean over seeds, lines the 95 % percentile-bootstrap interval${metric === 'eer' ? ' over the items (clips) and the seeds where every seed left per-item scores, over the seeds otherwise' : ' over seeds'}.`,
    spec,
  };
}

/** A round upper bound for an axis (1, 2, 2.5, 5 times a power of ten). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

