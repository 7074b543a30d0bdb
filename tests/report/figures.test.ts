import { levelPanelWidth, longestLevelLine } from '../../src/report/figures/level-axis.js';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.js';
import { writeReport, type ReportSummary } from '../../src/report/index.js';
import { knownSets, unknownSets } from '../fixtures/report/synthetic-store.js';
import { countMarks, markTexts, svgSize, textsOfRole } from './helpers/svg.js';
import { decodePng, inkShare, pngHeader } from './helpers/png.js';
import { fixtureStore, groupBy, mean, storedTrials, type FixtureStore, type StoredTrial } from './helpers/fixture.js';

const sets = [...knownSets, ...unknownSets];

let store: FixtureStore;
let out: string;
let summary: ReportSummary;
let trials: StoredTrial[];
let configurations: Map<string, StoredTrial[]>;

const read = (name: string) => readFileSync(join(out, 'figures', name), 'utf8');
const spec = (name: string) => JSON.parse(read(`${name}.vl.json`)) as { data: { values: Array<Record<string, number | string>> } };

/** The stored trials of the configuration with these parameters (as the report labels them). */
function trialsWhere(where: Record<string, unknown>): StoredTrial[] {
  return trials.filter((t) => Object.entries(where).every(([k, v]) => t.params[k] === v));
}

/** A trial's value on a set or an aggregate; aggregates the store lacks are the mean over the group's sets. */
function valueOf(trial: StoredTrial, dataset: string, metric: string): number {
  const stored = trial.scores.get(dataset)?.[metric];
  if (stored !== undefined) return stored;
  const members = dataset === '__known__' ? knownSets : dataset === '__unknown__' ? unknownSets : sets;
  return mean(members.map((s) => trial.scores.get(s)?.[metric] as number));
}

beforeAll(async () => {
  store = fixtureStore({ dropSomeAggregates: true });
  out = join(store.dir, 'report');
  trials = storedTrials(store.results, store.sweep);
  configurations = groupBy(trials, (t) => t.configuration);
  const db = openDatabase(store.results, { mustExist: true });
  try {
    summary = await writeReport(db, store.sweep, { out, interaction: ['gate.type', 'routing.mode'], generatedAt: 'test' });
  } finally {
    db.close();
  }
});

afterAll(() => store?.remove());

describe('ablate report on a finished sweep', () => {
  it('the fixture is what the expectations below assume', () => {
    expect(store.done).toBe(store.trials);
    expect(configurations.size).toBe(7);
    // Half the trials have no stored aggregates: the report must compute them.
    expect(trials.filter((t) => !t.scores.has('__all__')).length).toBeGreaterThan(0);
  });

  it('comparison bars: one bar and one interval per configuration and set (aggregates included), titled axes and a legend', () => {
    for (const metric of ['eer', 'auc']) {
      const svg = read(`comparison-${metric}.svg`);
      const expected = configurations.size * (sets.length + 3);
      expect(countMarks(svg, 'bars_')).toBe(expected);
      expect(countMarks(svg, 'intervals_')).toBe(expected);
      const axisTitles = textsOfRole(svg, 'axis-title');
      expect(axisTitles).toContain(metric === 'eer' ? 'EER (%)' : 'AUC (%)');
      // Configurations are named by the axis labels (no title beside them).
      expect(textsOfRole(svg, 'axis-label')).toEqual(expect.arrayContaining(['moe mlp soft', 'moe transformer top-1', 'single resnet/logspec']));
      expect(textsOfRole(svg, 'legend-title')).toEqual(['Kind']);
    }
  });

  it('comparison values are the means over seeds of the stored scores, aggregates computed where absent, inside their intervals', () => {
    const rows = spec('comparison-eer').data.values;
    const keyOf: Record<string, string> = { 'mean of known': '__known__', 'mean of unknown': '__unknown__', 'mean of all': '__all__' };
    let checked = 0;
    for (const group of configurations.values()) {
      const first = group[0] as StoredTrial;
      const label = first.kind === 'single' ? `single ${String(first.params['expertSet'])}` : `moe ${String(first.params['gate.type'])} ${first.params['routing.mode'] === 'soft' ? 'soft' : 'top-1'}`;
      for (const dataset of [...sets, ...Object.keys(keyOf)]) {
        const row = rows.find((r) => r['configuration'] === label && r['dataset'] === dataset);
        expect(row, `${label} on ${dataset}`).toBeDefined();
        const expected = 100 * mean(group.map((t) => valueOf(t, keyOf[dataset] ?? dataset, 'eer')));
        expect(row?.['mean']).toBeCloseTo(expected, 9);
        expect(row?.['lower'] as number).toBeLessThanOrEqual(row?.['mean'] as number);
        expect(row?.['upper'] as number).toBeGreaterThanOrEqual(row?.['mean'] as number);
        expect(row?.['upper'] as number).toBeGreaterThan(row?.['lower'] as number); // three different seeds
        checked++;
      }
    }
    expect(checked).toBe(7 * 6);
  });

  it('gating heatmaps: an average per routing family, one per mixture configuration, a cell and a written value per (set, expert)', () => {
    const heatmaps = summary.figures.map((f) => f.name).filter((n) => n.startsWith('gating-heatmap-'));
    expect(heatmaps.sort()).toEqual(
      ['average-soft', 'average-hard', 'moe-mlp-soft', 'moe-mlp-top-1', 'moe-transformer-soft', 'moe-transformer-top-1'].map((s) => `gating-heatmap-${s}`).sort(),
    );
    for (const [slug, where] of [
      ['moe-mlp-soft', { 'gate.type': 'mlp', 'routing.mode': 'soft' }],
      ['moe-transformer-top-1', { 'gate.type': 'transformer', 'routing.mode': 'topk' }],
    ] as const) {
      const svg = read(`gating-heatmap-${slug}.svg`);
      const group = trialsWhere({ kind: 'moe', ...where });
      const experts = new Set(group.flatMap((t) => t.gates.map((g) => g.label)));
      const hard = where['routing.mode'] === 'topk';
      // Hard routing (router weighting) leaves weight to chance: one more column, "unrouted".
      const columns = experts.size + (hard ? 1 : 0);
      expect(countMarks(svg, 'cells')).toBe(sets.length * columns);
      const written = markTexts(svg, 'weights');
      expect(written).toHaveLength(sets.length * columns);
      // The written values are the means over seeds of the stored weights.
      const expected = [...experts].flatMap((label) =>
        sets.map((dataset) => mean(group.map((t) => t.gates.find((g) => g.label === label && g.dataset === dataset)?.weight as number)).toFixed(2)),
      );
      if (hard) {
        for (const dataset of sets) {
          expected.push(mean(group.map((t) => 1 - t.gates.filter((g) => g.dataset === dataset).reduce((s, g) => s + g.weight, 0))).toFixed(2));
        }
      }
      expect([...written].sort()).toEqual([...expected].sort());
      expect(countMarks(svg, 'selected')).toBe(hard ? sets.length * experts.size : 0);
      expect(textsOfRole(svg, 'axis-title')).toEqual(expect.arrayContaining(['Expert', 'Evaluation set']));
      expect(textsOfRole(svg, 'legend-title')).toEqual(['Mean gate weight']);
    }
    expect(countMarks(read('gating-heatmap-average-soft.svg'), 'cells')).toBe(sets.length * 3);
    expect(countMarks(read('gating-heatmap-average-hard.svg'), 'cells')).toBe(sets.length * 4);
  });

  it('main effects: a point and an interval per level of every swept factor and set group; intervals contain the means', () => {
    const db = new Database(join(store.results, 'ablate.db'), { readonly: true });
    const axes = JSON.parse((db.prepare('SELECT axes FROM sweeps WHERE name = ?').get(store.sweep) as { axes: string }).axes) as Array<{ path: string; levels: unknown[] }>;
    db.close();
    const levels = axes.filter((a) => a.path !== 'seed').reduce((n, a) => n + a.levels.length, 0);
    const svg = read('main-effects-eer.svg');
    expect(countMarks(svg, 'effects_')).toBe(levels * 3);
    expect(countMarks(svg, 'effect_intervals_')).toBe(levels * 3);
    expect(textsOfRole(svg, 'legend-title')).toEqual(['Sets']);
    expect(textsOfRole(svg, 'axis-title')).toContain('EER (%)');
    for (const row of spec('main-effects-eer').data.values) {
      expect(row['lower'] as number).toBeLessThanOrEqual(row['mean'] as number);
      expect(row['upper'] as number).toBeGreaterThanOrEqual(row['mean'] as number);
    }
    // gate.type = transformer averages the four transformer trials of each seed, then the seeds.
    const transformer = spec('main-effects-eer').data.values.find((r) => r['factor'] === 'gate.type' && r['level'] === 'transformer' && r['group'] === 'All');
    const bySeed = groupBy(trialsWhere({ 'gate.type': 'transformer' }), (t) => String(t.params['seed']));
    expect(transformer?.['mean']).toBeCloseTo(100 * mean([...bySeed.values()].map((g) => mean(g.map((t) => valueOf(t, '__all__', 'eer'))))), 9);
  });

  it('main effects: numeric levels in order, long levels whole on several lines, one EER scale, rows without blank gaps', () => {
    const svg = read('main-effects-eer.svg');
    const labels = textsOfRole(svg, 'axis-label');
    // numExperts ran 3 (mixtures) before 1 (single experts) in the sweep; the axis reads 1, 3.
    const one = labels.indexOf('1');
    expect(one).toBeGreaterThanOrEqual(0);
    expect(labels[one + 1]).toBe('3');
    // The expert set "lcnn/mel + resnet/mel + resnet/logspec": one line per expert, nothing cut.
    expect(labels).toContain('lcnn/mel + resnet/mel + resnet/logspec');
    expect(svg).toMatch(/<tspan[^>]*>\+ resnet\/logspec<\/tspan>/);
    expect(labels.filter((l) => l.includes('…'))).toEqual([]);
    const figure = JSON.parse(read('main-effects-eer.vl.json')) as { vconcat: Array<{ hconcat: Array<{ width: number }> }>; resolve: { scale: { y: string } } };
    expect(figure.resolve.scale.y).toBe('shared');
    // Each row holds panels at their own widths (no grid padding them to a column's widest).
    expect(figure.vconcat.length).toBeGreaterThan(1);
    for (const row of figure.vconcat) expect(row.hconcat.reduce((w, p) => w + p.width + 70, 0)).toBeLessThanOrEqual(Math.max(1150, row.hconcat.length === 1 ? Infinity : 0));
    const { width } = svgSize(svg);
    expect(width).toBeLessThanOrEqual(1150 + 200);
  });

  it('interaction: a point per pair of levels and a line per level of the second factor', () => {
    const svg = read('interaction-eer-gate-type-routing-mode.svg');
    expect(countMarks(svg, 'interaction_points')).toBe(4);
    expect(countMarks(svg, 'interaction_intervals')).toBe(4);
    expect(countMarks(svg, 'interaction_lines')).toBe(2);
    expect(textsOfRole(svg, 'axis-title')).toEqual(expect.arrayContaining(['gate.type', 'EER (%), all sets']));
    expect(textsOfRole(svg, 'legend-title')).toEqual(['routing.mode']);
  });

  it('training curves: per configuration a point per (training job, epoch, metric) and a line per (job, metric)', () => {
    const curves = summary.figures.filter((f) => f.name.startsWith('training-curves-'));
    expect(curves).toHaveLength(7);
    const moe = read('training-curves-moe-mlp-soft.svg');
    // Three pre-trained experts and the mixture, 6 epochs, 3 metrics.
    expect(countMarks(moe, 'epochs')).toBe(4 * 6 * 3);
    expect(countMarks(moe, 'curves')).toBe(4 * 3);
    expect(textsOfRole(moe, 'legend-label')).toEqual(['mixture', 'pretrain lcnn/mel', 'pretrain resnet/logspec', 'pretrain resnet/mel']);
    const single = read('training-curves-single-resnet-mel.svg');
    expect(countMarks(single, 'epochs')).toBe(1 * 6 * 3);
    expect(textsOfRole(single, 'axis-title')).toContain('Epoch');
  });

  it('training curves: pre-training and mixture training in rows of their own; an expert has one colour in every figure', () => {
    const moe = read('training-curves-moe-mlp-soft.svg');
    expect(moe).toContain('Pre-training (each expert alone)');
    expect(moe).toContain('Mixture training');
    const curves = JSON.parse(read('training-curves-moe-mlp-soft.vl.json')) as { data: { values: Array<{ role: string; stage: string }> }; spec: { encoding: { color: { scale: { domain: string[]; range: string[] } } } } };
    for (const row of curves.data.values) expect(row.stage).toBe(row.role === 'mixture' ? 'Mixture training' : 'Pre-training (each expert alone)');
    const { domain, range } = curves.spec.encoding.color.scale;
    const colourOf = (expert: string) => range[domain.indexOf(`pretrain ${expert}`)];
    // The same expert in another configuration's curves and in the gating heatmap's labels: the same colour.
    const single = JSON.parse(read('training-curves-single-resnet-mel.vl.json')) as typeof curves;
    expect(single.spec.encoding.color.scale.range[single.spec.encoding.color.scale.domain.indexOf('pretrain resnet/mel')]).toBe(colourOf('resnet/mel'));
    expect(new Set(['lcnn/mel', 'resnet/mel', 'resnet/logspec'].map(colourOf)).size).toBe(3);
    // The single-expert baselines of the known-vs-unknown scatter wear their expert's colour too.
    const scatter = JSON.parse(read('known-vs-unknown-eer.vl.json')) as { layer: Array<{ name: string; encoding: { color: { scale: { domain: string[]; range: string[] } } } }> };
    const points = scatter.layer.find((l) => l.name === 'configurations')?.encoding.color.scale as { domain: string[]; range: string[] };
    for (const expert of ['lcnn/mel', 'resnet/mel', 'resnet/logspec']) expect(points.range[points.domain.indexOf(`single ${expert}`)]).toBe(colourOf(expert));
    const expertPalette = new Set(['lcnn/mel', 'resnet/mel', 'resnet/logspec'].map(colourOf));
    for (const [i, label] of points.domain.entries()) if (label.startsWith('moe ')) expect(expertPalette.has(points.range[i] as string), label).toBe(false);
    const heatmap = read('gating-heatmap-moe-mlp-soft.svg');
    for (const expert of ['lcnn/mel', 'resnet/mel', 'resnet/logspec']) {
      expect(heatmap).toMatch(new RegExp(`fill="${colourOf(expert)}"[^>]*>${expert.replace('/', '\\/')}<`));
    }
  });

  it('known vs unknown: names the notable points next to them', () => {
    const svg = read('known-vs-unknown-eer.svg');
    const figure = JSON.parse(read('known-vs-unknown-eer.vl.json')) as { data: { values: Array<{ configuration: string; kind: string; known: number; unknown: number }> } };
    const rows = figure.data.values;
    const best = [...rows].sort((a, b) => a.known + a.unknown - (b.known + b.unknown))[0]!;
    const worst = [...rows].sort((a, b) => b.known + b.unknown - (a.known + a.unknown))[0]!;
    const texts = markTexts(svg, 'point_labels_');
    expect(texts.join(' | ')).toContain(best.configuration);
    expect(texts.join(' | ')).toContain(worst.configuration);
    expect(texts.join(' | ')).toContain('best overall');
    expect(texts.join(' | ')).toContain('worst overall');
  });

  it('known vs unknown: one point per configuration with intervals on both axes', () => {
    const svg = read('known-vs-unknown-eer.svg');
    expect(countMarks(svg, 'configurations')).toBe(configurations.size);
    expect(countMarks(svg, 'known_intervals')).toBe(configurations.size);
    expect(countMarks(svg, 'unknown_intervals')).toBe(configurations.size);
    expect(textsOfRole(svg, 'axis-title')).toEqual(expect.arrayContaining(['EER on known sets (%)', 'EER on unknown sets (%)']));
    expect(textsOfRole(svg, 'legend-title')).toEqual(expect.arrayContaining(['Configuration', 'Kind']));
  });

  it('paper figures: single- and double-column variants no wider than the column and the page (252 and 516 pt)', () => {
    const paper = summary.figures.map((f) => f.name).filter((n) => n.startsWith('paper-'));
    expect(paper.sort()).toEqual(
      ['comparison-eer', 'main-effects-eer', 'known-vs-unknown-eer', 'gating-average-soft', 'gating-average-hard'].flatMap((f) => [`paper-single-${f}`, `paper-double-${f}`]).sort(),
    );
    for (const name of paper) {
      const { width } = svgSize(read(`${name}.svg`));
      expect(width, name).toBeLessThanOrEqual(name.startsWith('paper-single-') ? 252 : 516);
      expect(width, name).toBeGreaterThan(name.startsWith('paper-single-') ? 150 : 300);
    }
    // The paper comparison: the headline sets, every configuration of this small sweep, axes fit to the data.
    const comparison = JSON.parse(read('paper-single-comparison-eer.vl.json')) as { data: { values: Array<{ set: string; configuration: string; lower: number }> } };
    expect([...new Set(comparison.data.values.map((r) => r.set))]).toEqual(['Known', 'Unknown', 'All']);
    const svg = read('paper-single-comparison-eer.svg');
    expect(countMarks(svg, 'paper_means')).toBe(comparison.data.values.length);
    const ticks = textsOfRole(svg, 'axis-label').map(Number).filter((v) => Number.isFinite(v));
    // No panel's axis starts at 0: every EER here is above 3 %.
    expect(Math.min(...comparison.data.values.map((r) => r.lower))).toBeGreaterThan(3);
    expect(ticks).not.toContain(0);
  });

  it('every figure has its spec, SVG and a PNG that decodes at its scale (2, or 4 for paper figures), and carries the progress note', () => {
    const files = readdirSync(join(out, 'figures'));
    expect(summary.figures.length).toBe(18 + 10);
    for (const { name } of summary.figures) {
      expect(files).toEqual(expect.arrayContaining([`${name}.vl.json`, `${name}.svg`, `${name}.png`]));
      expect(JSON.parse(read(`${name}.vl.json`))).toHaveProperty('$schema');
      const svg = read(`${name}.svg`);
      // Paper figures leave their title to the paper's caption; they name progress only when partial.
      const paper = name.startsWith('paper-');
      if (paper) expect(textsOfRole(svg, 'title-subtitle').join(' ')).not.toContain('trials done');
      else expect(textsOfRole(svg, 'title-subtitle').join(' ')).toContain(`${store.trials} of ${store.trials} trials done`);
      const size = svgSize(svg);
      const scale = paper ? 4 : 2;
      const png = readFileSync(join(out, 'figures', `${name}.png`));
      expect(pngHeader(png)).toMatchObject({ width: scale * size.width, height: scale * size.height, bitDepth: 8 });
      const decoded = decodePng(png);
      expect([decoded.width, decoded.height]).toEqual([scale * size.width, scale * size.height]);
      const ink = inkShare(decoded.pixels);
      expect(ink, name).toBeGreaterThan(0.01);
      expect(ink, name).toBeLessThan(0.6);
    }
  });

  it('index.html is one self-contained page with every figure, the table, description, status and backend', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html.match(/<img src="data:image\/svg\+xml;base64,/g)).toHaveLength(summary.figures.length);
    expect(html).not.toMatch(/<script|<link|<iframe/i);
    // Nothing is fetched: every src is inline, every href a file of the report.
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]*)"/g)) expect(url).toMatch(/^(data:|figures\/|tables\/)/);
    expect(html).toContain('Synthetic MILE-style ablation');
    expect(html).toContain(`${store.trials} of ${store.trials} trials done`);
    expect(html).toContain('wasm (');
    expect(html).toContain('<table class="results">');
    for (const { name } of summary.figures) expect(html).toContain(`id="${name}"`);
    expect(existsSync(join(out, 'tables', 'results.tex'))).toBe(true);
    expect(readFileSync(join(out, 'tables', 'results-paper.tex'), 'utf8')).toContain('\\multicolumn{2}{c}{Known}');
  });
});

describe('level panel width', () => {
  it('leaves room for every level’s longest label line, whatever its position (no line broken by its index)', () => {
    const levels = ['lcnn/melx0.25 + resnet/melx0.25', 'lcnn/melx0.25', 'resnet/melx0.25', 'resnet/logspecx0.25'];
    // The longest unbroken line is the fourth level's whole name (19 characters at about 6.7 px).
    expect(longestLevelLine(levels)).toBeCloseTo(19 * 6.7, 5);
    expect(levelPanelWidth(levels)).toBeGreaterThanOrEqual(4 * 19 * 6.7);
  });
});
