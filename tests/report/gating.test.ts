import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.js';
import { gatingHeatmaps, loadReportData, renderSvg, type Figure } from '../../src/report/index.js';
import { knownSets, unknownSets } from '../fixtures/report/synthetic-store.js';
import { fixtureStore, type FixtureStore } from './helpers/fixture.js';
import { markTexts, textsOfRole } from './helpers/svg.js';

const sets = [...knownSets, ...unknownSets];
/** Known gate weights per expert: soft rows sum to 1; hard rows (router weighting) to 0.7, 0.3 unrouted. */
const soft = [0.5, 0.3, 0.2];
const hard = [0.4, 0.2, 0.1];
const hardSelected = [0.6, 0.3, 0.1];
/** Each seed moves 0.03 of weight from expert 1 to expert 0: the means over seeds 0, 1, 2 gain 0.03. */
const shift = (seed: number, expert: number) => (expert === 0 ? 0.03 * seed : expert === 1 ? -0.03 * seed : 0);

type Cell = { dataset: string; expert: string; weight: number; selected: number | null };
const cellsOf = (figure: Figure) => (figure.spec['data'] as { values: Cell[] }).values;

describe('gating heatmaps on a store with known gate weights', () => {
  let store: FixtureStore;
  let figures: Figure[];
  beforeAll(() => {
    store = fixtureStore({ dropSomeAggregates: false });
    // Overwrite every stored gate weight with the known values, as the real evaluation stores
    // them: soft routing selects every expert on every item (selected_fraction 1).
    const db = new Database(join(store.results, 'ablate.db'));
    const rows = db
      .prepare(`SELECT g.rowid AS id, g.expert, t.config FROM gate_weights g JOIN trials t ON t.result_job = g.job_key`)
      .all() as Array<{ id: number; expert: number; config: string }>;
    const update = db.prepare('UPDATE gate_weights SET mean_weight = ?, selected_fraction = ? WHERE rowid = ?');
    for (const row of rows) {
      const config = JSON.parse(row.config) as { seed: number; routing?: { mode: string } };
      const isHard = config.routing?.mode === 'topk';
      const weight = (isHard ? (hard[row.expert] as number) : (soft[row.expert] as number)) + shift(config.seed, row.expert);
      update.run(weight, isHard ? hardSelected[row.expert] : 1, row.id);
    }
    expect(rows.length).toBe(4 * 3 * sets.length * 3); // 4 mixtures x 3 seeds x 3 sets x 3 experts
    db.close();
    const read = openDatabase(store.results, { mustExist: true });
    try {
      figures = gatingHeatmaps(loadReportData(read, store.sweep));
    } finally {
      read.close();
    }
  });
  afterAll(() => store?.remove());

  it('averages soft and hard routing apart, each over its own configurations', () => {
    expect(figures.map((f) => f.name)).toEqual([
      'gating-heatmap-average-soft',
      'gating-heatmap-average-hard',
      'gating-heatmap-moe-mlp-soft',
      'gating-heatmap-moe-mlp-top-1',
      'gating-heatmap-moe-transformer-soft',
      'gating-heatmap-moe-transformer-top-1',
      'paper-single-gating-average-soft',
      'paper-double-gating-average-soft',
      'paper-single-gating-average-hard',
      'paper-double-gating-average-hard',
    ]);
    // A paper variant holds the same numbers as the average it restyles.
    expect(cellsOf(figures[6] as Figure)).toEqual(cellsOf(figures[0] as Figure));
    expect(cellsOf(figures[8] as Figure)).toEqual(cellsOf(figures[1] as Figure));
    const [averageSoft, averageHard] = figures as [Figure, Figure];
    const subtitle = (f: Figure) => (f.spec['title'] as { subtitle: string[] }).subtitle.join(' | ');
    expect(subtitle(averageSoft)).toContain('mean over the 2 soft-routing configurations');
    expect(subtitle(averageHard)).toContain('mean over the 2 hard-routing configurations');
    expect(subtitle(averageHard)).toContain('sel.: share of items routed to the expert');
    expect(subtitle(averageSoft)).not.toContain('sel.');

    const softCells = cellsOf(averageSoft);
    expect(softCells).toHaveLength(sets.length * 3);
    for (const dataset of sets) {
      const row = softCells.filter((c) => c.dataset === dataset).sort((a, b) => a.expert.localeCompare(b.expert));
      expect(row.map((c) => c.weight).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const c of row) expect(c.selected).toBeNull();
    }
    const hardCells = cellsOf(averageHard);
    // 3 experts and the unrouted column, which makes each row sum to 1.
    expect(hardCells).toHaveLength(sets.length * 4);
    for (const dataset of sets) {
      const row = hardCells.filter((c) => c.dataset === dataset);
      expect(row.find((c) => c.expert === 'unrouted (chance)')?.weight).toBeCloseTo(0.3, 12);
      expect(row.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 12);
      const experts = row.filter((c) => c.expert !== 'unrouted (chance)');
      // Stored labels follow the expert index; the means over seeds gain the known shift.
      const byIndex = experts.map((c) => c.weight).sort((a, b) => b - a);
      expect(byIndex[0]).toBeCloseTo(hard[0]! + 0.03, 12);
      expect(byIndex[1]).toBeCloseTo(hard[1]! - 0.03, 12);
      expect(byIndex[2]).toBeCloseTo(hard[2]!, 12);
      const selected = experts.map((c) => c.selected as number).sort((a, b) => a - b);
      [...hardSelected].sort((a, b) => a - b).forEach((v, i) => expect(selected[i]).toBeCloseTo(v, 12));
    }
  });

  it('writes what each number is: no "sel." under soft routing, the unrouted column and "sel." under hard routing', async () => {
    const softFigure = figures.find((f) => f.name === 'gating-heatmap-moe-mlp-soft') as Figure;
    const hardFigure = figures.find((f) => f.name === 'gating-heatmap-moe-mlp-top-1') as Figure;
    const softSvg = await renderSvg(softFigure.spec);
    const hardSvg = await renderSvg(hardFigure.spec);
    expect(markTexts(softSvg, 'selected')).toEqual([]);
    expect(softSvg).not.toContain('sel.');
    expect([...markTexts(softSvg, 'weights')].sort()).toEqual(sets.flatMap(() => ['0.53', '0.27', '0.20']).sort());
    expect(textsOfRole(softSvg, 'title-text').join(' ')).toContain('(soft routing)');
    expect(textsOfRole(hardSvg, 'title-text').join(' ')).toContain('(hard routing)');
    expect(textsOfRole(hardSvg, 'axis-label')).toContain('unrouted (chance)');
    expect([...markTexts(hardSvg, 'weights')].sort()).toEqual(sets.flatMap(() => ['0.43', '0.17', '0.10', '0.30']).sort());
    expect([...markTexts(hardSvg, 'selected')].sort()).toEqual(sets.flatMap(() => ['sel. 60 %', 'sel. 30 %', 'sel. 10 %']).sort());
    expect(hardFigure.caption).toContain('"unrouted" is the weight left to chance');
  });
});
