import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.js';
import { loadReportData, paperTable, tableToCsv, tableToLatex, tableToMarkdown, type PaperTable } from '../../src/report/index.js';
import { knownSets, unknownSets } from '../fixtures/report/synthetic-store.js';
import { fixtureStore, groupBy, mean, storedTrials, type FixtureStore, type StoredTrial } from './helpers/fixture.js';

const sets = [...knownSets, ...unknownSets];
const headings = [...sets, 'Known', 'Unknown', 'All'];
const hasPdflatex = spawnSync('pdflatex', ['--version']).status === 0;

let store: FixtureStore;
let table: PaperTable;
let trials: StoredTrial[];

beforeAll(() => {
  store = fixtureStore({ dropSomeAggregates: true });
  const db = openDatabase(store.results, { mustExist: true });
  try {
    table = paperTable(loadReportData(db, store.sweep));
  } finally {
    db.close();
  }
  trials = storedTrials(store.results, store.sweep);
});
afterAll(() => store?.remove());

interface ParsedCell {
  value: number | null;
  bold: boolean;
}

/** Body rows of the LaTeX tabular: label and cells (value, bold), as a reader of the PDF would see them. */
function latexBody(tex: string): Array<{ label: string; cells: ParsedCell[] }> {
  const lines = tex.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Configuration & '));
  const end = lines.indexOf('\\bottomrule');
  return lines
    .slice(start + 1, end)
    .filter((l) => l !== '\\midrule')
    .map((line) => {
      const [label, ...cells] = line.replace(/ \\\\$/, '').split(' & ');
      return {
        label: label as string,
        cells: cells.map((cell) => {
          const bold = /^\\textbf\{/.test(cell);
          const number = /^(?:\\textbf\{)?(-?[\d.]+)/.exec(cell)?.[1];
          return { value: number === undefined ? null : Number(number), bold };
        }),
      };
    });
}

describe('paper tables', () => {
  it('LaTeX: one row per configuration (single experts first), EER and AUC per set then Known, Unknown, All', () => {
    const tex = tableToLatex(table, store.sweep);
    const header = tex.split('\n').find((l) => l.startsWith('Configuration & ')) as string;
    expect(header).toBe(`Configuration & ${headings.map(() => 'EER & AUC').join(' & ')} \\\\`);
    const groups = tex.split('\n').find((l) => l.startsWith(' & \\multicolumn')) as string;
    expect(groups).toBe(` & ${headings.map((h) => `\\multicolumn{2}{c}{${h}}`).join(' & ')} \\\\`);
    const body = latexBody(tex);
    const configurations = groupBy(trials, (t) => t.configuration).size;
    expect(body).toHaveLength(configurations);
    expect(body.map((r) => r.label)).toEqual([
      'single lcnn/mel',
      'single resnet/mel',
      'single resnet/logspec',
      'moe mlp soft',
      'moe mlp top-1',
      'moe transformer soft',
      'moe transformer top-1',
    ]);
    for (const row of body) expect(row.cells).toHaveLength(headings.length * 2);
    expect(tex).toContain('\\usepackage{booktabs}');
    expect(tex).toMatch(/\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule/);
  });

  it('LaTeX: the bold cells are the column minima for EER and the maxima for AUC', () => {
    const body = latexBody(tableToLatex(table, store.sweep));
    for (let c = 0; c < headings.length * 2; c++) {
      const isEer = c % 2 === 0;
      const values = body.map((r) => r.cells[c]?.value as number);
      const best = isEer ? Math.min(...values) : Math.max(...values);
      const bold = body.flatMap((r, i) => (r.cells[c]?.bold ? [i] : []));
      expect(bold.length, `column ${c}`).toBeGreaterThan(0);
      expect(bold, `column ${c}`).toEqual(values.flatMap((v, i) => (v === best ? [i] : [])));
    }
  });

  it.skipIf(!hasPdflatex)('LaTeX: the document compiles as is with pdflatex', () => {
    const dir = join(store.dir, 'latex');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'results.tex'), tableToLatex(table, store.sweep));
    const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'results.tex'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stdout.slice(-2000)).toBe(0);
    expect(existsSync(join(dir, 'results.pdf'))).toBe(true);
  });

  it('CSV: means over seeds equal the stored scores, with aggregates computed where the store lacks them', () => {
    const records = parse(tableToCsv(table), { columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(7);
    const transformerSoft = trials.filter((t) => t.params['gate.type'] === 'transformer' && t.params['routing.mode'] === 'soft');
    const row = records.find((r) => r['configuration'] === 'moe transformer soft') as Record<string, string>;
    expect(Number(row['seeds'])).toBe(3);
    for (const dataset of sets) {
      expect(Number(row[`${dataset} EER mean`])).toBeCloseTo(100 * mean(transformerSoft.map((t) => t.scores.get(dataset)?.['eer'] as number)), 9);
      expect(Number(row[`${dataset} AUC mean`])).toBeCloseTo(100 * mean(transformerSoft.map((t) => t.scores.get(dataset)?.['auc'] as number)), 9);
    }
    const allOf = (t: StoredTrial) => t.scores.get('__all__')?.['eer'] ?? mean(sets.map((s) => t.scores.get(s)?.['eer'] as number));
    expect(transformerSoft.some((t) => !t.scores.has('__all__'))).toBe(true);
    expect(Number(row['All EER mean'])).toBeCloseTo(100 * mean(transformerSoft.map(allOf)), 9);
    for (const heading of headings) {
      const lower = Number(row[`${heading} EER lower95`]);
      const upper = Number(row[`${heading} EER upper95`]);
      expect(lower).toBeLessThanOrEqual(Number(row[`${heading} EER mean`]));
      expect(upper).toBeGreaterThanOrEqual(Number(row[`${heading} EER mean`]));
    }
  });

  it('Markdown: same rows and bold marks as the LaTeX table', () => {
    const markdown = tableToMarkdown(table);
    const rows = markdown.split('\n').filter((l) => /^\| (single|moe) /.test(l));
    expect(rows).toHaveLength(7);
    const latex = latexBody(tableToLatex(table, store.sweep));
    rows.forEach((line, r) => {
      const cells = line.split(' | ').slice(1);
      expect(cells).toHaveLength(headings.length * 2);
      cells.forEach((cell, c) => expect(cell.startsWith('**'), `row ${r} column ${c}`).toBe(latex[r]?.cells[c]?.bold));
    });
  });
});
