import { canonicalJson } from '../../util/hash.js';
import { balancedEffect, type BalancedEffect, type LevelDifference } from '../data/balanced-effects.js';
import { itemLevelComparison, type ItemLevelComparison, type ItemScoreSource, type TrialPairs } from '../compare/item-pairs.js';
import type { ConfigurationIntervals } from '../data/item-intervals.js';
import { summarize } from '../data/summaries.js';
import { aggregateSets, type ReportData } from '../data/types.js';
import { seedValues } from '../data/values.js';
import { levelText } from '../figures/figure.js';
import { formatP } from '../compare/format.js';
import { escapeHtml } from '../html/escape.js';

/** A plain table: a title, a note, headers and text cells (rendered to Markdown and HTML alike). */
export interface TextTable {
  title: string;
  note: string;
  headers: string[];
  rows: string[][];
}

const pct = (v: number) => (100 * v).toFixed(2);
const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${pct(Math.abs(v))}`;
const groups = [
  { key: '__unknown__', label: 'Unknown' },
  { key: '__known__', label: 'Known' },
  { key: '__all__', label: 'All' },
] as const;

/**
 * Each configuration's EER per evaluation set and group with its 95 % interval: over items
 * and seeds where every seed left per-item scores (item-intervals.ts), else over seeds only
 * (marked †); with `clipIntervals`, a last column gives the Unknown interval with the seeds
 * held, the part of it that more evaluation clips would narrow.
 */
export function intervalsTable(data: ReportData, intervals: ConfigurationIntervals, clipIntervals?: ConfigurationIntervals): TextTable {
  const keys = [...data.evaluationSets.map((s) => ({ key: s.name, label: s.name })), ...aggregateSets.map((a) => ({ key: a.key, label: a.label }))];
  const rows: string[][] = [];
  for (const c of data.configurations) {
    const own = intervals.get(c.key);
    const cells = keys.map(({ key }) => {
      const item = own?.get(key);
      if (item) return `${pct(item.mean)} [${pct(item.lower)}, ${pct(item.upper)}]`;
      const seeds = summarize(seedValues(data, c, key, 'eer'));
      return seeds ? `${pct(seeds.mean)} [${pct(seeds.lower)}, ${pct(seeds.upper)}]†` : '–';
    });
    if (cells.every((x) => x === '–')) continue;
    const clips = clipIntervals?.get(c.key)?.get('__unknown__');
    const clipCells = clipIntervals === undefined ? [] : [clips ? `[${pct(clips.lower)}, ${pct(clips.upper)}] ±${pct((clips.upper - clips.lower) / 2)}` : '–'];
    rows.push([c.label, String(c.trials.filter((t) => t.state === 'done').length), ...cells, ...clipCells]);
  }
  return {
    title: `EER (%) per configuration with 95 % intervals, ${data.sweep.name}`,
    note:
      'Mean over seeds [95 % percentile-bootstrap interval]; the interval resamples the seeds and, per set, the clips (one draw of items shared by the drawn seeds: the same clips are scored by every seed). ' +
      'Known / Unknown / All are the means over their sets. † where per-item scores are missing (or too many to resample within the report\'s budget): the interval is over seeds only.' +
      (clipIntervals === undefined
        ? ''
        : ' "Unknown, clips only": the Unknown interval with the seeds held (only the clips resampled) and its half-width: the part the size of the evaluation sets controls; the rest of the Unknown interval is the spread between training runs, which more seeds narrow and more clips do not.'),
    headers: ['Configuration', 'seeds', ...keys.map((k) => k.label), ...(clipIntervals === undefined ? [] : ['Unknown, clips only'])],
    rows,
  };
}

/**
 * Each factor's level differences against its first level, on the balanced cells
 * (balanced-effects.ts): the mean over (cell, seed) units of the EER difference, its 95 %
 * interval and p-value, per set group; marginal estimates are labelled as such. With a
 * source of per-item scores covering every pair, the interval and p pair on items too: each
 * replicate draws (cell, seed) units and, within each of their sets, the same clips for the
 * level and the reference (item-pairs.ts); otherwise they rest on the units (sign-flip p).
 */
export async function mainEffectsTable(data: ReportData, source: ItemScoreSource | null = null, options: { budget?: number } = {}): Promise<TextTable> {
  const rows: string[][] = [];
  // The report's budget of resampled item scores, shared by every (difference, group).
  const calls = data.factors.reduce((n, f) => n + groups.length * Math.max(0, (f.levels.length || 2) - 1), 0);
  const budget = options.budget === undefined ? undefined : options.budget / Math.max(1, calls);
  for (const factor of data.factors) {
    const effects = groups.map((g) => balancedEffect(data, factor.path, g.key, 'eer'));
    const first = effects.find((e) => e !== null);
    if (!first) continue;
    for (const difference of first.differences) {
      const estimate = first.estimate === 'balanced' ? `balanced, ${first.cells} of ${first.of} cells` : 'marginal means (no crossed cell)';
      const units = first.estimate === 'balanced' ? '(cell, seed)' : 'seed';
      let onItems = 0;
      const cells: string[] = [];
      for (const [g, group] of groups.entries()) {
        const e = effects[g];
        const d = e?.differences.find((x) => canonicalJson(x.level) === canonicalJson(difference.level));
        if (!e || !d) {
          cells.push('–');
          continue;
        }
        const items = source && e.estimate === 'balanced' ? await itemPairedDifference(data, e, d, group.key, source, budget) : null;
        if (items) onItems++;
        const interval = items ? items.interval : d.interval;
        const p = items ? items.pValue : d.pValue;
        cells.push(`${signed(d.meanDiff)} [${signed(interval.lower)}, ${signed(interval.upper)}], p = ${formatP(p)}${items ? '*' : ''}`);
      }
      const shown = cells.filter((c) => c !== '–').length;
      const pairedOn = onItems === 0 ? units : onItems === shown ? `${units} and items` : `${units}; * also items`;
      if (onItems === shown) cells.forEach((c, i) => (cells[i] = c.replace(/\*$/, '')));
      rows.push([factor.path, `${levelText(difference.level)} − ${levelText(difference.reference)}`, estimate, String(difference.units), pairedOn, ...cells]);
    }
  }
  return {
    title: `Main effects on EER (percentage points), ${data.sweep.name}`,
    note:
      'Each level minus the factor\'s first level, compared within cells: configurations equal in every other factor that ran every level (a parameter that exists only at some levels, such as routing.k under top-k, belongs to the level). ' +
      'Mean over (cell, seed) units [95 % bootstrap interval], p-value. "Paired on (cell, seed) and items": where every trial left per-item scores (and the resampling budget of the report allows at least 200 replicates), the bootstrap also draws the same clips for both levels (paired bootstrap p); otherwise the interval draws units and p is a paired sign-flip test over them. ' +
      'Cells of one seed can share trained parts (a pre-trained expert), so read p as indicative. "Marginal means": no cell ran every level, so the levels are averaged over whatever trials have them and the difference includes the effects of the factors they ran with.',
    headers: ['Factor', 'Difference', 'Estimate', 'units', 'paired on', ...groups.map((g) => g.label)],
    rows,
  };
}

/** The balanced difference again on items: one pair per (cell, level configuration, reference configuration, seed, set), clustered by (cell, seed). */
async function itemPairedDifference(data: ReportData, effect: BalancedEffect, difference: LevelDifference, group: string, source: ItemScoreSource, budget: number | undefined): Promise<ItemLevelComparison | null> {
  const sets = data.evaluationSets.filter((s) => group === '__all__' || s.group === (group === '__known__' ? 'known' : 'unknown')).map((s) => s.name);
  const pairs: Array<TrialPairs['pairs'][number]> = [];
  effect.cellMembers.forEach((cell, c) => {
    for (const a of cell.get(canonicalJson(difference.level)) ?? []) {
      for (const b of cell.get(canonicalJson(difference.reference)) ?? []) {
        for (const ta of a.trials.filter((t) => t.state === 'done')) {
          const tb = b.trials.find((t) => t.seed === ta.seed && t.state === 'done');
          if (!tb) continue;
          for (const dataset of sets) {
            if (data.scores.get(ta.id)?.get(dataset)?.['eer'] === undefined || data.scores.get(tb.id)?.get(dataset)?.['eer'] === undefined) continue;
            // configurationA names the cluster: the cell.
            pairs.push({ configurationA: `cell ${c}`, trialA: ta.id, trialB: tb.id, seed: ta.seed, dataset });
          }
        }
      }
    }
  });
  if (pairs.length === 0) return null;
  const items = await itemLevelComparison({ metric: 'eer', pairs }, source, { iterations: 1000, minIterations: 200, ...(budget !== undefined ? { budget } : {}) });
  // Only where it covers every pair: a partial one would estimate on other trials than the units.
  return items && items.pairs === pairs.length ? items : null;
}

export function textTableToMarkdown(table: TextTable): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `**${table.title}.** ${table.note}`,
    '',
    `| ${table.headers.map(cell).join(' | ')} |`,
    `| ${table.headers.map((_, i) => (i === 0 ? ':--' : '--:')).join(' | ')} |`,
    ...table.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n') + '\n';
}

export function textTableToHtml(table: TextTable): string {
  if (table.rows.length === 0) return `<p class="empty">${escapeHtml(table.title)}: nothing finished yet.</p>`;
  return `<div class="table-scroll"><table class="statistics">
<thead><tr>${table.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${table.rows.map((r) => `<tr><th scope="row">${escapeHtml(r[0] ?? '')}</th>${r.slice(1).map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table></div>
<p class="files">${escapeHtml(table.note)}</p>`;
}
