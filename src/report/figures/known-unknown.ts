import type { ConfigurationIntervals } from '../data/item-intervals.js';
import { summarize } from '../data/summaries.js';
import type { ReportData } from '../data/types.js';
import { seedValues } from '../data/values.js';
import { configurationColours } from './expert-colours.js';
import { figureHeader, type Figure, type VlSpec } from './figure.js';
import { paperHeader, paperPngScale, paperWidths, type PaperWidth } from './paper.js';

/**
 * Up to this many configurations each gets its own colour, named in the legend (text next
 * to the points would pile up where configurations perform alike); beyond, colour is the kind.
 */
const maxColoured = 20;

/**
 * Figure 5: EER on the known sets against EER on the unknown sets, one point per
 * configuration (mean over seeds, 95 % intervals on both axes: over items and seeds where
 * every seed left per-item scores, item-intervals.ts, else over seeds). Points near the
 * diagonal generalise as well as they fit.
 */
export function knownUnknownFigure(data: ReportData, paper?: PaperWidth, intervals?: ConfigurationIntervals): Figure | null {
  const rows: Array<Record<string, unknown>> = [];
  let overItems = 0;
  for (const configuration of data.configurations) {
    const seedKnown = summarize(seedValues(data, configuration, '__known__', 'eer'));
    const seedUnknown = summarize(seedValues(data, configuration, '__unknown__', 'eer'));
    if (!seedKnown || !seedUnknown) continue;
    const itemKnown = intervals?.get(configuration.key)?.get('__known__');
    const itemUnknown = intervals?.get(configuration.key)?.get('__unknown__');
    // Both axes from the same source, so one point's two lines mean the same thing.
    const both = itemKnown && itemUnknown;
    if (both) overItems++;
    const known = { ...seedKnown, ...(both ? { lower: itemKnown.lower, upper: itemKnown.upper } : {}) };
    const unknown = { ...seedUnknown, ...(both ? { lower: itemUnknown.lower, upper: itemUnknown.upper } : {}) };
    rows.push({
      configuration: configuration.label,
      kind: configuration.kind,
      known: 100 * known.mean,
      knownLower: 100 * known.lower,
      knownUpper: 100 * known.upper,
      unknown: 100 * unknown.mean,
      unknownLower: 100 * unknown.lower,
      unknownUpper: 100 * unknown.upper,
      seeds: Math.min(known.n, unknown.n),
      interval: both ? 'items and seeds' : 'seeds',
    });
  }
  if (rows.length === 0) return null;
  const intervalText = overItems === rows.length ? 'over items and seeds' : overItems === 0 ? 'over seeds' : 'over items and seeds (over seeds where per-item scores are missing)';
  const domainOf = (lowerField: string, upperField: string): [number, number] => {
    const lo = Math.min(...rows.map((r) => r[lowerField] as number));
    const hi = Math.max(...rows.map((r) => r[upperField] as number));
    const pad = Math.max(0.05, (hi - lo) * 0.08);
    return [Math.max(0, lo - pad), Math.min(100, hi + pad)];
  };
  const xDomain = domainOf('knownLower', 'knownUpper');
  const yDomain = domainOf('unknownLower', 'unknownUpper');
  // A paper figure colours by kind: its legend has no room for configurations, and the notable ones are named.
  const byConfiguration = !paper && rows.length <= maxColoured;
  const color = byConfiguration
    ? (() => {
        const labels = rows.map((r) => r['configuration'] as string);
        return { field: 'configuration', type: 'nominal', title: 'Configuration', sort: labels, scale: { domain: labels, range: configurationColours(data, labels) } };
      })()
    : { field: 'kind', type: 'nominal', title: 'Kind', legend: { orient: 'bottom' } };
  const diagonalEnds = [Math.min(xDomain[0], yDomain[0]), Math.max(xDomain[1], yDomain[1])];
  // A paper figure numbers its notable points and names them in a key below the plot: at
  // 6.5 pt, names beside the points collide with each other and the axis on real sweeps.
  const named = notableRows(rows);
  const notable = paper ? named.map((r, i) => ({ ...r, note: [String(i + 1)] })) : named;
  const key = named.map((r, i) => `${i + 1}: ${(r['note'] as string[]).join(' ')}`);
  const layers: VlSpec[] = [
    {
      name: 'diagonal',
      data: { values: diagonalEnds.map((v) => ({ known: v, unknown: v })) },
      mark: { type: 'line', color: '#999', strokeDash: [4, 4], strokeWidth: 1, clip: true },
      encoding: { x: { field: 'known', type: 'quantitative' }, y: { field: 'unknown', type: 'quantitative' } },
    },
    {
      name: 'known_intervals',
      mark: { type: 'rule', strokeWidth: 1.2 },
      encoding: { x: { field: 'knownLower', type: 'quantitative' }, x2: { field: 'knownUpper' }, y: { field: 'unknown', type: 'quantitative' }, color },
    },
    {
      name: 'unknown_intervals',
      mark: { type: 'rule', strokeWidth: 1.2 },
      encoding: { y: { field: 'unknownLower', type: 'quantitative' }, y2: { field: 'unknownUpper' }, x: { field: 'known', type: 'quantitative' }, color },
    },
    {
      name: 'configurations',
      mark: { type: 'point', filled: true, size: paper ? 22 : 80, opacity: 1 },
      encoding: {
        x: { field: 'known', type: 'quantitative', title: 'EER on known sets (%)', scale: { domain: xDomain, nice: false, zero: false } },
        y: { field: 'unknown', type: 'quantitative', title: 'EER on unknown sets (%)', scale: { domain: yDomain, nice: false, zero: false } },
        color,
        shape: { field: 'kind', type: 'nominal', title: 'Kind', ...(byConfiguration ? {} : { legend: { orient: 'bottom' } }) },
        tooltip: [{ field: 'configuration' }, { field: 'known', format: '.2f' }, { field: 'unknown', format: '.2f' }, { field: 'seeds' }, { field: 'interval', title: 'interval over' }],
      },
    },
    // The notable points named next to them (best on known, on unknown, overall, worst
    // overall, best baseline): a legend of 28 colours cannot be read back to points. Names of
    // points in the right half run leftwards, so they stay inside the plot.
    ...(['left', 'right'] as const).map((align) => ({
      name: `point_labels_${align}`,
      data: { values: notable.filter((r) => ((r['known'] as number) < (xDomain[0] + xDomain[1]) / 2) === (align === 'left')) },
      mark: { type: 'text', align, baseline: 'bottom', dx: align === 'left' ? 6 : -6, dy: -5, fontSize: paper ? 6.5 : 10, color: '#222' },
      encoding: { x: { field: 'known', type: 'quantitative' }, y: { field: 'unknown', type: 'quantitative' }, text: { field: 'note' } },
    })),
  ];
  const header = paper ? paperHeader(data) : null;
  const spec: VlSpec = {
    ...(header
      ? {
          ...header,
          title: {
            text: ' ',
            subtitle: [...((header['title'] as { subtitle?: string[] } | undefined)?.subtitle ?? []), ...key],
            orient: 'bottom',
            anchor: 'start',
            subtitleFontSize: 6.5,
            subtitleColor: '#222',
          },
        }
      : figureHeader(data, 'Known vs unknown EER', [`one point per configuration: mean over seeds; lines: 95 % bootstrap intervals ${intervalText}; dashed: equal EER, where in range`, 'named: the best on known, on unknown and overall, the worst overall, the best baseline'])),
    data: { values: rows },
    // Square plots; a paper's leave room for the y axis and the legend below.
    width: paper ? paperWidths[paper] - 50 : 380,
    height: paper ? (paper === 'single' ? 190 : 300) : 380,
    layer: layers,
  };
  if (paper) {
    return {
      name: `paper-${paper}-known-vs-unknown-eer`,
      title: `Known vs unknown EER (paper, ${paper} column)`,
      caption: `Mean EER over the known sets against mean EER over the unknown sets, one point per configuration (mean over seeds, 95 % bootstrap intervals ${intervalText}), notable points numbered and named in the key below; ${paperWidths[paper]} pt wide.`,
      spec,
      pngScale: paperPngScale,
    };
  }
  return {
    name: 'known-vs-unknown-eer',
    title: 'Known vs unknown EER',
    caption: `Mean EER over the known sets against mean EER over the unknown sets, one point per configuration (mean over seeds, 95 % bootstrap intervals ${intervalText}); the dashed line marks equal EER.`,
    spec,
  };
}

/** The points worth naming on the plot, each once, with what makes it notable. */
export function notableRows(rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const by = (score: (r: Record<string, unknown>) => number) => [...rows].sort((a, b) => score(a) - score(b))[0];
  const known = (r: Record<string, unknown>) => r['known'] as number;
  const unknown = (r: Record<string, unknown>) => r['unknown'] as number;
  const both = (r: Record<string, unknown>) => known(r) + unknown(r);
  const baselines = rows.filter((r) => r['kind'] !== 'moe');
  const picks: Array<[Record<string, unknown> | undefined, string]> = [
    [by(both), 'best overall'],
    [by(known), 'best on known'],
    [by(unknown), 'best on unknown'],
    [by((r) => -both(r)), 'worst overall'],
    [baselines.length > 0 && baselines.length < rows.length ? [...baselines].sort((a, b) => both(a) - both(b))[0] : undefined, 'best baseline'],
  ];
  const named = new Map<Record<string, unknown>, string[]>();
  for (const [row, why] of picks) if (row) named.set(row, [...(named.get(row) ?? []), why]);
  return [...named].map(([row, why]) => ({ known: row['known'], unknown: row['unknown'], note: [String(row['configuration']), `(${why.join(', ')})`] }));
}
