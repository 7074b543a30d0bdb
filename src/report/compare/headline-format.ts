import { escapeHtml } from '../html/escape.js';
import type { Headline, HeadlineRow } from './headline.js';
import { formatP } from './format.js';

const pct = (v: number) => (100 * v).toFixed(2);
const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${pct(Math.abs(v))}`;

/** One line per set group: the two EERs, the difference with its interval and p, and what was paired. */
export function headlineRowText(row: HeadlineRow): string {
  const group = row.group === 'unknown' ? 'Unknown' : 'Known';
  const pairing =
    row.pairing === 'items'
      ? `paired on items: the same clips scored by both sides, ${row.items} item pairs in ${row.pairs} (seed, set) pair(s); paired bootstrap`
      : `paired on (seed, set) only, ${row.pairs} pair(s): no per-item scores; sign-flip test`;
  // A verdict needs both: with few units a bootstrap interval can exclude 0 while an exact test cannot reach 5 %.
  const excludes = row.interval.lower > 0 || row.interval.upper < 0;
  const verdict = excludes && row.pValue < 0.05 ? (row.meanDiff < 0 ? 'A better' : 'B better') : excludes ? 'not conclusive: the interval excludes 0 but p ≥ 0.05 (too few units)' : 'no clear difference';
  return (
    `${group} (${row.sets.join(', ')}): EER A ${pct(row.meanA)} %, B ${pct(row.meanB)} %; A − B ${signed(row.meanDiff)} pp, ` +
    `95 % interval [${signed(row.interval.lower)}, ${signed(row.interval.upper)}] pp, p = ${formatP(row.pValue)}: ${verdict} ` +
    `(${row.seeds.length} seed(s); ${pairing})`
  );
}

/** The headline as Markdown (also what `ablate compare --headline` prints). */
export function headlinesToMarkdown(headlines: Headline[], sweep: string): string {
  if (headlines.length === 0) {
    return `**Headline of ${sweep}.** No headline comparison yet: it needs finished mixtures and single experts (MoE vs best single expert) or gate-ablated controls with their mixtures (gate vs gate-ablated).\n`;
  }
  const lines = [`**Headline of ${sweep}** (EER, A − B in percentage points: negative means A is better; 95 % percentile-bootstrap intervals).`, ''];
  for (const h of headlines) {
    lines.push(`- **${h.title}**: A = ${h.a}, B = ${h.b}. Chosen: ${h.chosen}.`);
    for (const row of h.rows) lines.push(`  - ${headlineRowText(row)}`);
  }
  return lines.join('\n') + '\n';
}

/** The headline section of index.html. */
export function headlinesToHtml(headlines: Headline[]): string {
  if (headlines.length === 0) {
    return '<p class="empty">No headline comparison yet: it needs finished mixtures and single experts, or gate-ablated controls with their mixtures.</p>';
  }
  const blocks = headlines.map(
    (h) =>
      `<li><strong>${escapeHtml(h.title)}</strong>: A = <code>${escapeHtml(h.a)}</code>, B = <code>${escapeHtml(h.b)}</code>. <small>Chosen: ${escapeHtml(h.chosen)}.</small>\n<ul>${h.rows
        .map((r) => `<li>${escapeHtml(headlineRowText(r))}</li>`)
        .join('\n')}</ul></li>`,
  );
  return `<p>EER, A − B in percentage points (negative: A is better), with 95 % percentile-bootstrap intervals and p-values.</p>\n<ul class="headline">\n${blocks.join('\n')}\n</ul>`;
}
