import { canonicalJson } from '../../util/hash.js';
import { balancedEffect } from '../data/balanced-effects.js';
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
 * (marked †).
 */
export function intervalsTable(data: ReportData, intervals: ConfigurationIntervals): TextTable {
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
    rows.push([c.label, String(c.trials.filter((t) => t.state === 'done').length), ...cells]);
  }
  return {
    title: `EER (%) per configuration with 95 % intervals, ${data.sweep.name}`,
    note:
      'Mean over seeds [95 % percentile-bootstrap interval]; the interval resamples the seeds and, per set, the clips (one draw of items shared by the drawn seeds: the same clips are scored by every seed). ' +
      'Known / Unknown / All are the means over their sets. † where per-item scores are missing: the interval is over seeds only.',
    headers: ['Configuration', 'seeds', ...keys.map((k) => k.label)],
    rows,
  };
}

/**
 * Each factor's level differences against its first level, on the balanced cells
 * (balanced-effects.ts): the mean over (cell, seed) units of the EER difference, its 95 %
 * interval and sign-flip p-value, per set group; marginal estimates are labelled as such.
 */
export function mainEffectsTable(data: ReportData): TextTable {
  const rows: string[][] = [];
  for (const factor of data.factors) {
    const effects = groups.map((g) => balancedEffect(data, factor.path, g.key, 'eer'));
    const first = effects.find((e) => e !== null);
    if (!first) continue;
    for (const difference of first.differences) {
      const estimate = first.estimate === 'balanced' ? `balanced, ${first.cells} of ${first.of} cells` : 'marginal means (no crossed cell)';
      const cells = effects.map((e) => {
        const d = e?.differences.find((x) => canonicalJson(x.level) === canonicalJson(difference.level));
        return d ? `${signed(d.meanDiff)} [${signed(d.interval.lower)}, ${signed(d.interval.upper)}], p = ${formatP(d.pValue)}` : '–';
      });
      rows.push([factor.path, `${levelText(difference.level)} − ${levelText(difference.reference)}`, estimate, String(difference.units), ...cells]);
    }
  }
  return {
    title: `Main effects on EER (percentage points), ${data.sweep.name}`,
    note:
      'Each level minus the factor\'s first level, compared within cells: configurations equal in every other factor that ran every level (a parameter that exists only at some levels, such as routing.k under top-k, belongs to the level). ' +
      'Mean over (cell, seed) units [95 % bootstrap interval over those units], p from a paired sign-flip test; cells of one seed can share trained parts (a pre-trained expert), so read p as indicative. "Marginal means": no cell ran every level, so the levels are averaged over whatever trials have them and the difference includes the effects of the factors they ran with.',
    headers: ['Factor', 'Difference', 'Estimate', 'units', ...groups.map((g) => g.label)],
    rows,
  };
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
