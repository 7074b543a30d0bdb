import { metricInfo } from '../data/values.js';
import type { PairedComparison } from './compare.js';

/** The comparison as a few readable lines (differences in percentage points for rates). */
export function formatComparison(c: PairedComparison): string {
  const info = metricInfo[c.metric];
  const percent = info?.percent ?? false;
  const name = info?.title ?? c.metric;
  const unit = percent ? ' pp' : '';
  const show = (v: number) => (percent ? (100 * v).toFixed(2) : v.toFixed(4));
  const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${show(Math.abs(v))}`;
  const better = info?.better === 'max' ? 'higher' : 'lower';
  const verdict =
    c.interval.lower > 0 || c.interval.upper < 0
      ? `${c.meanDiff < 0 === (info?.better !== 'max') ? 'A' : 'B'} is better (${better} ${name}); the interval excludes 0.`
      : 'No clear difference: the interval includes 0.';
  const single = c.configurationPairs.length === 1;
  const shape = single ? `${c.seeds.length} seed(s) × ${c.datasets.length} set(s)` : `${c.configurationPairs.length} configuration pairs, ${c.units} (pair, seed) units × ${c.datasets.length} set(s)`;
  const lines = [
    `A: ${c.a.label} (${c.a.configurations.length} configuration(s), ${c.a.seedsDone} trial(s) done)`,
    `B: ${c.b.label} (${c.b.configurations.length} configuration(s), ${c.b.seedsDone} trial(s) done)`,
    ...(c.compared.length > 0 && !single ? [`Compared: ${c.compared.join(', ')}; each pair holds every other parameter equal and is paired by ${c.pairing}.`] : []),
    `${name} difference A − B over ${c.pairs.length} pairs (${shape}): ` +
      `${signed(c.meanDiff)}${unit}, ${Math.round(c.interval.level * 100)} % interval [${signed(c.interval.lower)}, ${signed(c.interval.upper)}]${unit} (bootstrap over ${single ? 'seeds' : '(pair, seed) units'}), ` +
      `p = ${formatP(c.test.pValue)} (paired sign-flip test over ${c.units} unit(s), ${c.test.method === 'exact' ? 'exact' : `${c.test.iterations} seeded draws`})`,
    verdict,
    '',
    ...(single
      ? []
      : [
          `${'configuration A'.padEnd(labelWidth(c, 'a'))}  ${'configuration B'.padEnd(labelWidth(c, 'b'))} ${'seeds'.padStart(5)} ${`A ${name}`.padStart(10)} ${`B ${name}`.padStart(10)} ${'A − B'.padStart(10)}`,
          ...c.configurationPairs.map(
            (p) => `${p.a.padEnd(labelWidth(c, 'a'))}  ${p.b.padEnd(labelWidth(c, 'b'))} ${String(p.seeds.length).padStart(5)} ${show(p.meanA).padStart(10)} ${show(p.meanB).padStart(10)} ${signed(p.meanDiff).padStart(10)}`,
          ),
          '',
        ]),
    `${'set'.padEnd(16)} ${'pairs'.padStart(5)} ${`A ${name}`.padStart(10)} ${`B ${name}`.padStart(10)} ${'A − B'.padStart(10)}`,
    ...c.breakdown.map((r) => `${r.dataset.padEnd(16)} ${String(r.n).padStart(5)} ${show(r.meanA).padStart(10)} ${show(r.meanB).padStart(10)} ${signed(r.meanDiff).padStart(10)}`),
    '',
    ...(c.unpaired.a.length + c.unpaired.b.length > 0
      ? [`Without a partner (left out): ${[...c.unpaired.a.map((l) => `A ${l}`), ...c.unpaired.b.map((l) => `B ${l}`)].join('; ')}.`]
      : []),
    ...itemLines(c, signed, unit),
    'The evaluation sets of one unit share their trained models, so the interval and test draw whole units; read the p-value as indicative with few units.',
  ];
  return lines.join('\n') + '\n';
}

/** What pairing on items added, or why the pairs stay (seed, set). */
function itemLines(c: PairedComparison, signed: (v: number) => string, unit: string): string[] {
  const items = c.items;
  if (!items) return ['Paired by (seed, set) only: no pair has per-item scores for both trials (score files under jobs/<key>/scores/ and the sets\' labels).'];
  return [
    `Paired on items: ${items.pairs} of ${items.of} pairs have per-item scores for both trials (${items.items} items): ` +
      `A − B ${signed(items.meanDiff)}${unit}, ${Math.round(items.interval.level * 100)} % interval [${signed(items.interval.lower)}, ${signed(items.interval.upper)}]${unit} ` +
      `(bootstrap over (pair, seed) units and, within each set, the same items for A and B; ${items.iterations} draws), p = ${formatP(items.pValue)} (paired bootstrap).`,
  ];
}

function labelWidth(c: PairedComparison, side: 'a' | 'b'): number {
  return Math.max(15, ...c.configurationPairs.map((p) => p[side].length));
}

export function formatP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
