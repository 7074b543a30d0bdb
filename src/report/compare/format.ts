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
  const lines = [
    `A: ${c.a.label} (${c.a.seedsDone} seed(s) done)`,
    `B: ${c.b.label} (${c.b.seedsDone} seed(s) done)`,
    `${name} difference A − B over ${c.pairs.length} pairs (${c.seeds.length} seed(s) × ${c.datasets.length} set(s)): ` +
      `${signed(c.meanDiff)}${unit}, ${Math.round(c.interval.level * 100)} % interval [${signed(c.interval.lower)}, ${signed(c.interval.upper)}]${unit} (bootstrap over pairs), ` +
      `p = ${formatP(c.test.pValue)} (paired sign-flip test, ${c.test.method === 'exact' ? 'exact' : `${c.test.iterations} seeded draws`})`,
    verdict,
    '',
    `${'set'.padEnd(16)} ${'pairs'.padStart(5)} ${`A ${name}`.padStart(10)} ${`B ${name}`.padStart(10)} ${'A − B'.padStart(10)}`,
    ...c.breakdown.map((r) => `${r.dataset.padEnd(16)} ${String(r.n).padStart(5)} ${show(r.meanA).padStart(10)} ${show(r.meanB).padStart(10)} ${signed(r.meanDiff).padStart(10)}`),
    '',
    'Pairs of one seed share their training runs, so read the p-value as indicative.',
  ];
  return lines.join('\n') + '\n';
}

function formatP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
