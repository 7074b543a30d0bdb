import { summarize } from '../data/summaries.js';
import type { ReportData } from '../data/types.js';
import { displayValue, metricInfo, seedValues } from '../data/values.js';
import { round, type PaperTable, type TableCell, type TableColumn, type TableRow } from './paper-table.js';

/**
 * The gate's contribution: for each mixture configuration, its own row, then one row per
 * expert with that fine-tuned expert's own metrics inside the trained mixture (its score
 * alone on the same items), per evaluation set; mean over seeds, in percent. Best per column
 * within each mixture's block: does the mixture beat its best expert? Null when no finished
 * mixture stored per-expert metrics.
 */
export function expertTable(data: ReportData, metrics: string[] = ['eer', 'auc'], decimals = 2): PaperTable | null {
  if (data.expertMetrics.length === 0) return null;
  const columns: TableColumn[] = data.evaluationSets.flatMap((s) =>
    metrics.map((metric) => ({ dataset: s.name, heading: s.name, group: s.group, metric, better: metricInfo[metric]?.better ?? 'min' })),
  );
  // trial -> set -> expert -> metric -> value
  const own = new Map<string, Map<string, number>>();
  const labels = new Map<string, Map<number, string>>();
  for (const m of data.expertMetrics) {
    if (m.value === null) continue;
    const values = own.get(m.trial_id) ?? new Map<string, number>();
    values.set(`${m.dataset}\u0000${m.expert}\u0000${m.metric}`, m.value);
    own.set(m.trial_id, values);
    const names = labels.get(m.trial_id) ?? new Map<number, string>();
    names.set(m.expert, m.expert_label);
    labels.set(m.trial_id, names);
  }
  const cellOf = (metric: string, values: number[]): TableCell | null => {
    const summary = summarize(values);
    if (!summary) return null;
    const scale = (v: number) => displayValue(metric, v);
    return { mean: scale(summary.mean), sd: scale(summary.stdev), lower: scale(summary.lower), upper: scale(summary.upper), n: summary.n };
  };
  const rows: TableRow[] = [];
  const blocks: Array<[number, number]> = [];
  for (const configuration of data.configurations) {
    const trials = configuration.trials.filter((t) => own.has(t.id));
    if (trials.length === 0) continue;
    const start = rows.length;
    rows.push({ label: configuration.label, kind: configuration.kind, seeds: trials.length, cells: columns.map((c) => cellOf(c.metric, seedValues(data, configuration, c.dataset, c.metric))) });
    const experts = labels.get(trials[0]?.id as string) as Map<number, string>;
    for (const [expert, label] of [...experts].sort((a, b) => a[0] - b[0])) {
      const cells = columns.map((c) =>
        cellOf(c.metric, trials.flatMap((t) => {
          const value = own.get(t.id)?.get(`${c.dataset}\u0000${expert}\u0000${c.metric}`);
          return value === undefined ? [] : [value];
        })),
      );
      rows.push({ label: `${configuration.label} · ${label} alone`, kind: 'expert', seeds: trials.length, cells });
    }
    blocks.push([start, rows.length]);
  }
  const best = columns.map((column, c) => {
    const marked = new Set<number>();
    for (const [from, to] of blocks) {
      const shown = rows.slice(from, to).map((r) => (r.cells[c] ? round((r.cells[c] as TableCell).mean, decimals) : null));
      const candidates = shown.filter((v): v is number => v !== null);
      if (candidates.length === 0) continue;
      const target = column.better === 'min' ? Math.min(...candidates) : Math.max(...candidates);
      shown.forEach((v, i) => v === target && marked.add(from + i));
    }
    return marked;
  });
  return {
    title: `Each expert inside its mixture, ${data.sweep.name}`,
    note: 'Each mixture, then each of its fine-tuned experts scored alone on the same items (its own logit); mean over seeds (± standard deviation) in percent; best per column within each mixture in bold.',
    columns,
    rows,
    best,
    decimals,
  };
}
