import { summarize } from '../data/summaries.js';
import { aggregateSets, groupHeading, type Configuration, type ReportData } from '../data/types.js';
import { displayValue, metricInfo, seedValues } from '../data/values.js';
import { groupRowName } from '../../metrics/score-names.js';

export interface TableColumn {
  /** Evaluation set name or aggregate key. */
  dataset: string;
  /** Header text: the set's name, or Known / Unknown / All. */
  heading: string;
  group: 'known' | 'unknown' | 'all';
  metric: string;
  better: 'min' | 'max';
}

/** A column group of the table: a stored row of scores and its heading. */
export interface TableDataset {
  dataset: string;
  heading: string;
  group: 'known' | 'unknown' | 'all';
}

/**
 * Per value of a breakdown column (an attack, a generator): each evaluation set's EER on
 * that value's items, against the set's bona fide items (src/jobs/breakdown.ts).
 */
export function breakdownTable(data: ReportData, column: string): PaperTable {
  const entries = data.breakdowns?.get(column) ?? [];
  const groupOf = new Map(data.evaluationSets.map((s) => [s.name, s.group]));
  const table = paperTable(
    data,
    ['eer'],
    2,
    entries.map((e) => ({ dataset: e.dataset, heading: `${e.set} ${column}=${e.value}`, group: groupOf.get(e.set) ?? 'all' })),
  );
  return {
    ...table,
    title: `Results of ${data.sweep.name} per ${column}`,
    note:
      entries.length === 0
        ? `No evaluated item carries a "${column}" column, so there is nothing to break down: check the column names of the datasets' manifests against data.evaluate.breakdown.`
        : `EER of each evaluation set's items of one ${column} (against all the set's bona fide items where only spoofed items carry it), mean over seeds (± standard deviation) in percent; best per column in bold.`,
  };
}

export interface TableCell {
  mean: number;
  sd: number;
  lower: number;
  upper: number;
  n: number;
}

export interface TableRow {
  label: string;
  kind: string;
  /** Finished seeds of the configuration. */
  seeds: number;
  cells: Array<TableCell | null>;
}

export interface PaperTable {
  title: string;
  note: string;
  columns: TableColumn[];
  rows: TableRow[];
  /** For each column, the rows holding its best value as displayed (ties all count). */
  best: Array<Set<number>>;
  /** Decimals shown (best values are compared at this precision). */
  decimals: number;
}

/** Baselines first, as the papers list them, then mixtures. */
const kindOrder = ['probe', 'single', 'joint', 'budget-single', 'ensemble', 'gate-ablated', 'moe'];

/**
 * The papers' results table: one row per configuration (single experts included), for each
 * evaluation set its EER and AUC, then Known, Unknown and All; mean over seeds (± their
 * standard deviation), in percent, best value per column marked.
 */
export function paperTable(data: ReportData, metrics: string[] = ['eer', 'auc'], decimals = 2, only?: TableDataset[]): PaperTable {
  const present = new Set<string>();
  for (const byDataset of data.scores.values()) for (const row of byDataset.values()) for (const m of Object.keys(row)) present.add(m);
  // With nothing finished the headings still show what the table will hold.
  const shown = present.size === 0 ? metrics : metrics.filter((m) => present.has(m));
  const datasets = only ?? [
    ...data.evaluationSets.map((s) => ({ dataset: s.name, heading: s.name, group: s.group })),
    ...aggregateSets.map((a) => ({ dataset: a.key, heading: a.heading, group: a.group })),
    ...(data.evaluationGroups ?? []).map((name) => ({ dataset: groupRowName(name), heading: groupHeading(name), group: 'all' as const })),
  ];
  const columns: TableColumn[] = datasets.flatMap((d) =>
    shown.map((metric) => ({ ...d, metric, better: metricInfo[metric]?.better ?? 'min' })),
  );
  const configurations = [...data.configurations].sort((a, b) => rank(a) - rank(b));
  const rows: TableRow[] = [];
  for (const configuration of configurations) {
    const cells = columns.map((column): TableCell | null => {
      const summary = summarize(seedValues(data, configuration, column.dataset, column.metric));
      if (!summary) return null;
      const scale = (v: number) => displayValue(column.metric, v);
      return { mean: scale(summary.mean), sd: scale(summary.stdev), lower: scale(summary.lower), upper: scale(summary.upper), n: summary.n };
    });
    if (cells.every((c) => c === null)) continue;
    rows.push({ label: configuration.label, kind: configuration.kind, seeds: configuration.trials.filter((t) => t.state === 'done').length, cells });
  }
  const best = columns.map((column, c) => {
    const shownValues = rows.map((r) => r.cells[c]).map((cell) => (cell ? round(cell.mean, decimals) : null));
    const candidates = shownValues.filter((v): v is number => v !== null);
    const target = candidates.length === 0 ? null : column.better === 'min' ? Math.min(...candidates) : Math.max(...candidates);
    return new Set(shownValues.flatMap((v, i) => (v !== null && v === target ? [i] : [])));
  });
  return {
    title: `Results of ${data.sweep.name}`,
    note: `Mean over seeds (± standard deviation) in percent; best per column in bold (lowest EER, highest AUC). ${data.progress.done} of ${data.progress.total} trials done.`,
    columns,
    rows,
    best,
    decimals,
  };
}

function rank(configuration: Configuration): number {
  const index = kindOrder.indexOf(configuration.kind);
  return index < 0 ? kindOrder.length : index;
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Column headings grouped by dataset, in order: [{heading, span}]. */
export function datasetSpans(table: PaperTable): Array<{ heading: string; group: string; span: number }> {
  const spans: Array<{ heading: string; group: string; span: number }> = [];
  for (const column of table.columns) {
    const last = spans.at(-1);
    if (last && last.heading === column.heading) last.span++;
    else spans.push({ heading: column.heading, group: column.group, span: 1 });
  }
  return spans;
}

export function metricHeading(metric: string): string {
  return metricInfo[metric]?.title ?? metric;
}
