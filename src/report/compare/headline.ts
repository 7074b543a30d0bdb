import { mean } from 'simple-statistics';
import { canonicalJson } from '../../util/hash.js';
import type { Configuration, ReportData } from '../data/types.js';
import { comparePartners, type PairedComparison } from './compare.js';
import { itemLevelComparison, type ItemScoreSource } from './item-pairs.js';
import type { Partners } from './partners.js';

export interface HeadlineRow {
  group: 'unknown' | 'known';
  sets: string[];
  meanA: number;
  meanB: number;
  /** A - B (for EER, negative means A is better). */
  meanDiff: number;
  interval: { lower: number; upper: number; level: number };
  pValue: number;
  /** "items": the same clips scored by both sides, per seed (paired bootstrap); "seed and set": per-item scores missing (sign-flip over units). */
  pairing: 'items' | 'seed and set';
  /** (configuration pair, seed, set) pairs, and the items behind them when paired on items. */
  pairs: number;
  items: number | null;
  seeds: number[];
}

export interface Headline {
  question: 'moe-vs-best-single' | 'gate-vs-gate-ablated';
  title: string;
  a: string;
  b: string;
  /** How the sides were chosen (never on the unknown sets). */
  chosen: string;
  rows: HeadlineRow[];
}

/**
 * The sweep's headline questions, each on the unknown sets first, then the known ones:
 * 1. the mixture against the best single expert: both the best mixture and the best single
 *    expert are the configurations with the lowest mean EER over seeds on the KNOWN sets
 *    (the training domains), so the unknown sets, where the question is asked, play no part
 *    in the choice;
 * 2. the gate against the same mixture with its gate removed (kind gate-ablated: the
 *    fine-tuned experts averaged), where the sweep has such controls: every gate-ablated
 *    configuration with its mixture equal in every other parameter, pooled.
 * Each difference pairs on items where the score files allow (item-pairs.ts), else on
 * (seed, set). Questions the sweep cannot ask (no single expert, no control) are left out.
 */
export async function headlineComparisons(data: ReportData, source: ItemScoreSource | null, options: { iterations?: number; seed?: number } = {}): Promise<Headline[]> {
  const headlines: Headline[] = [];
  const moe = data.configurations.filter((c) => c.kind === 'moe');
  const single = data.configurations.filter((c) => c.kind === 'single');
  const bestMoe = bestOnKnown(data, moe);
  const bestSingle = bestOnKnown(data, single);
  if (bestMoe && bestSingle) {
    const rows = await rowsFor(data, { compared: ['kind'], pairs: [{ a: bestMoe, b: bestSingle }], unpairedA: [], unpairedB: [] }, source, options);
    if (rows.length > 0) {
      headlines.push({
        question: 'moe-vs-best-single',
        title: 'MoE vs best single expert',
        a: bestMoe.label,
        b: bestSingle.label,
        chosen: `each side is the configuration of its kind (${moe.length} mixture(s), ${single.length} single expert(s)) with the lowest mean EER over seeds on the known sets (the training domains); the unknown sets play no part in the choice`,
        rows,
      });
    }
  }
  const ablated = data.configurations.filter((c) => c.kind === 'gate-ablated');
  const pairs = ablated.flatMap((b) => {
    const a = moe.find((c) => withoutKind(c) === withoutKind(b));
    return a ? [{ a, b }] : [];
  });
  if (pairs.length > 0) {
    const rows = await rowsFor(data, { compared: ['kind'], pairs, unpairedA: [], unpairedB: [] }, source, options);
    if (rows.length > 0) {
      headlines.push({
        question: 'gate-vs-gate-ablated',
        title: 'Gate vs gate-ablated',
        a: pairs.length === 1 ? (pairs[0]?.a.label as string) : `${pairs.length} mixtures`,
        b: pairs.length === 1 ? (pairs[0]?.b.label as string) : 'the same without their gate',
        chosen: `every gate-ablated configuration (the mixture's fine-tuned experts averaged) paired with the mixture equal to it in every other parameter (${pairs.length} pair(s)), pooled`,
        rows,
      });
    }
  }
  return headlines;
}

function withoutKind(c: Configuration): string {
  const { kind: _kind, ...rest } = c.params;
  return canonicalJson(rest);
}

/** The configuration with the lowest mean over finished seeds of its known-set EER (null when none has one). */
export function bestOnKnown(data: ReportData, configurations: Configuration[]): Configuration | null {
  let best: { c: Configuration; value: number } | null = null;
  for (const c of configurations) {
    const values = c.trials.flatMap((t) => {
      const v = t.state === 'done' ? data.scores.get(t.id)?.get('__known__')?.['eer'] : undefined;
      return v === undefined ? [] : [v];
    });
    if (values.length === 0) continue;
    const value = mean(values);
    if (!best || value < best.value) best = { c, value };
  }
  return best?.c ?? null;
}

async function rowsFor(data: ReportData, partners: Partners, source: ItemScoreSource | null, options: { iterations?: number; seed?: number }): Promise<HeadlineRow[]> {
  const rows: HeadlineRow[] = [];
  for (const group of ['unknown', 'known'] as const) {
    const sets = data.evaluationSets.filter((s) => s.group === group).map((s) => s.name);
    if (sets.length === 0) continue;
    let comparison: PairedComparison;
    try {
      comparison = comparePartners(data, partners, partners.pairs[0]?.a.label ?? 'A', partners.pairs[0]?.b.label ?? 'B', { datasets: sets, iterations: options.iterations ?? 4000, seed: options.seed ?? 0 });
    } catch {
      continue; // no finished seed in common yet
    }
    const items = source ? await itemLevelComparison(comparison, source, { iterations: Math.min(options.iterations ?? 2000, 2000), seed: options.seed ?? 0 }) : null;
    // Item pairing stands only where it covers every pair; a partial one would compare other trials than the means.
    const full = items !== null && items.pairs === comparison.pairs.length;
    rows.push({
      group,
      sets,
      meanA: mean(comparison.pairs.map((p) => p.a)),
      meanB: mean(comparison.pairs.map((p) => p.b)),
      meanDiff: comparison.meanDiff,
      interval: full ? items.interval : comparison.interval,
      pValue: full ? items.pValue : comparison.test.pValue,
      pairing: full ? 'items' : 'seed and set',
      pairs: comparison.pairs.length,
      items: full ? items.items : null,
      seeds: comparison.seeds,
    });
  }
  return rows;
}
