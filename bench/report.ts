/**
 * Report benchmark: `npx tsx bench/report.ts [seeds]` (default 10 seeds: 510 trials).
 * Fills a store with a seeded synthetic sweep (48 mixture configurations and 3 single
 * experts, 3 evaluation sets, 6 epochs per training job), then times the whole report
 * (writeReport: every figure as spec + SVG + PNG, the tables, index.html) and its stages.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/index.js';
import { buildFigures, loadReportData, paperTable, renderPng, renderSvg, writeReport } from '../src/report/index.js';
import { buildSyntheticStore, writeSyntheticSweep } from '../tests/fixtures/report/synthetic-store.js';

const seeds = Number(process.argv[2] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'ablate-bench-report-'));
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

try {
  const results = join(dir, 'results');
  const sweepFile = writeSyntheticSweep(dir, { name: 'bench-report', seeds: Array.from({ length: seeds }, (_, i) => i), losses: true, gateInputs: true });
  let start = process.hrtime.bigint();
  const store = buildSyntheticStore({ results, sweepFile, dropSomeAggregates: true });
  console.log(`node ${process.version}; store: ${store.trials} trials, ${store.plan.jobs.size} jobs filled in ${seconds(start).toFixed(1)} s`);

  const db = openDatabase(results, { mustExist: true });
  try {
    start = process.hrtime.bigint();
    const data = loadReportData(db, store.plan.space.name);
    const load = seconds(start);
    start = process.hrtime.bigint();
    const figures = buildFigures(data, { interaction: ['gate.type', 'routing.mode'] });
    const specs = seconds(start);
    start = process.hrtime.bigint();
    paperTable(data);
    const table = seconds(start);
    console.log(`${data.configurations.length} configurations, ${figures.length} figures`);
    console.log(`  read the store            ${load.toFixed(2).padStart(7)} s`);
    console.log(`  build specs (bootstraps)  ${specs.toFixed(2).padStart(7)} s`);
    console.log(`  results table             ${table.toFixed(2).padStart(7)} s`);
    // Render a sample of each kind of figure to show where the time goes.
    for (const prefix of ['comparison-eer', 'main-effects-eer', 'gating-heatmap-average', 'training-curves-']) {
      const figure = figures.find((f) => f.name.startsWith(prefix));
      if (!figure) continue;
      start = process.hrtime.bigint();
      const svg = await renderSvg(figure.spec);
      const svgTime = seconds(start);
      start = process.hrtime.bigint();
      const png = renderPng(svg);
      console.log(`  ${figure.name.slice(0, 34).padEnd(34)} SVG ${svgTime.toFixed(2)} s, PNG ${seconds(start).toFixed(2)} s (${mib(png.length)})`);
    }

    const out = join(dir, 'report');
    const before = process.memoryUsage().rss;
    start = process.hrtime.bigint();
    const summary = await writeReport(db, store.plan.space.name, { out, interaction: ['gate.type', 'routing.mode'] });
    const total = seconds(start);
    const size = (folder: string) => readdirSync(folder).reduce((s, f) => s + statSync(join(folder, f)).size, 0);
    console.log(
      `whole report (${summary.figures.length} figures x spec/SVG/PNG, ${summary.tables.length} tables, index.html): ${total.toFixed(1)} s ` +
        `for ${store.trials} trials; figures ${mib(size(join(out, 'figures')))}, index.html ${mib(statSync(join(out, 'index.html')).size)}; ` +
        `rss ${mib(process.memoryUsage().rss)} (+${mib(process.memoryUsage().rss - before)})`,
    );
    start = process.hrtime.bigint();
    await writeReport(db, store.plan.space.name, { out: join(dir, 'report-svg'), formats: ['svg', 'html'], interaction: ['gate.type', 'routing.mode'] });
    console.log(`same without PNGs (--format svg,html): ${seconds(start).toFixed(1)} s`);
  } finally {
    db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
