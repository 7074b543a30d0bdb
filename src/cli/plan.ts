import type { CommandModule } from 'yargs';
import { planFromFile, trialView, jobKinds, type Plan } from '../search/index.js';
import { canonicalJson } from '../util/hash.js';
import { jobProgressFromStore } from './plan-progress.js';
import { integerOption } from '../util/options.js';
import { backendChoices, type BackendChoice } from '../protocol/job-protocol.js';
import type { MemoryCheck } from '../jobs/memory/job-memory.js';
import { formatBytes } from '../jobs/memory/bytes.js';

interface PlanArgs {
  sweep: string;
  json: boolean;
  results: string;
  limit: number;
  backend: BackendChoice;
}

/** `ablate plan <sweep>`: what a sweep expands to and how much work sharing saves. */
export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan <sweep>',
  describe: 'validate a sweep and show its trials, axes and job plan (nothing runs)',
  builder: (y) =>
    y
      .positional('sweep', { type: 'string', demandOption: true, describe: 'sweep file (JSON)' })
      .option('json', { type: 'boolean', default: false, describe: 'print {trials, jobs} as JSON and nothing else' })
      .option('limit', integerOption('limit', { min: 0, default: 40, describe: 'trials listed in the text output (0 = all)' }))
      .option('backend', { choices: backendChoices, default: 'auto', describe: 'the backend whose memory the training jobs are checked against (as `ablate run --backend`)' }) as never,
  handler: async (args) => {
    const plan = planFromFile(args.sweep);
    const progress = jobProgressFromStore(args.results, plan);
    const memory = await planMemory(plan, args.backend);
    if (args.json) {
      process.stdout.write(JSON.stringify({ ...(planAsJson(plan, progress) as object), ...(memory ? { memory: memoryAsJson(memory) } : {}) }, null, 2) + '\n');
      return;
    }
    process.stdout.write(planAsText(plan, progress, args.limit) + (memory ? memoryAsText(memory, args.limit) : ''));
  },
};

type Progress = ReturnType<typeof jobProgressFromStore>;

export function planAsJson(plan: Plan, progress: Progress): unknown {
  const jobs: Record<string, unknown> = {};
  for (const kind of jobKinds) jobs[kind] = plan.counts[kind];
  const totalDistinct = [...plan.jobs.values()].length;
  const totalNaive = jobKinds.reduce((sum, kind) => sum + plan.counts[kind].naive, 0);
  return {
    sweep: plan.space.name,
    file: plan.space.file,
    trials: plan.space.trials.map((t) => ({ id: t.id, config: t.config, params: varyingOf(plan, t.config), jobs: plan.trials.get(t.id)?.jobs })),
    axes: plan.space.varying,
    stats: plan.space.stats,
    jobs: { ...jobs, total: { distinct: totalDistinct, naive: totalNaive } },
    ...(progress ? { done: progress } : {}),
  };
}

function varyingOf(plan: Plan, config: Plan['space']['trials'][number]['config']): Record<string, unknown> {
  const view = trialView(config);
  const out: Record<string, unknown> = {};
  for (const { path } of plan.space.varying) if (path in view) out[path] = view[path];
  return out;
}

export function planAsText(plan: Plan, progress: Progress, limit: number): string {
  const { space } = plan;
  const lines: string[] = [];
  const stats = space.stats;
  lines.push(`Sweep ${space.name} (${space.file}): ${space.trials.length} trials`);
  const dropped: string[] = [];
  if (stats.duplicates) dropped.push(`${stats.duplicates} duplicates collapsed`);
  if (stats.excluded) dropped.push(`${stats.excluded} excluded`);
  for (const [c, n] of Object.entries(stats.constraintViolations)) dropped.push(`${n} failed ${JSON.stringify(c)}`);
  for (const [r, n] of Object.entries(stats.ruleViolations)) dropped.push(`${n} dropped: ${r}`);
  lines.push(`  from ${stats.points} points (grid x seeds + includes) -> ${stats.resolved} resolved${dropped.length ? `; ${dropped.join('; ')}` : ''}`);
  lines.push('', 'Axes (parameters that vary):');
  for (const { path, levels } of space.varying) {
    lines.push(`  ${path.padEnd(22)} ${levels.map((l) => (typeof l === 'string' ? l : canonicalJson(l))).join(' | ')}`);
  }
  lines.push('', 'Trials:');
  const shown = limit > 0 ? space.trials.slice(0, limit) : space.trials;
  for (const trial of shown) {
    const params = Object.entries(varyingOf(plan, trial.config))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : canonicalJson(v)}`)
      .join(' ');
    lines.push(`  ${trial.id}  ${params}`);
  }
  if (shown.length < space.trials.length) lines.push(`  ... ${space.trials.length - shown.length} more (--limit 0 lists all)`);
  lines.push('', 'Jobs (distinct / one DAG per trial without sharing):');
  let distinct = 0;
  let naive = 0;
  for (const kind of jobKinds) {
    const count = plan.counts[kind];
    distinct += count.distinct;
    naive += count.naive;
    const done = progress ? `   ${progress.byKind[kind] ?? 0} done` : '';
    lines.push(`  ${kind.padEnd(10)} ${String(count.distinct).padStart(6)} / ${String(count.naive).padStart(6)}${done}`);
  }
  lines.push(`  ${'total'.padEnd(10)} ${String(distinct).padStart(6)} / ${String(naive).padStart(6)}   (sharing saves ${(100 * (1 - distinct / Math.max(1, naive))).toFixed(0)}% of the jobs)`);
  if (progress) lines.push('', `Store ${progress.database}: ${progress.jobsDone} of ${distinct} jobs done, ${progress.trialsDone} of ${space.trials.length} trials done.`);
  return lines.join('\n') + '\n';
}

/** Each built-in training job's estimated peak memory (TensorFlow.js loads only when there are any). */
async function planMemory(plan: Plan, backend: BackendChoice): Promise<MemoryCheck | null> {
  const training = [...plan.jobs.values()].filter((job) => job.kind === 'pretrain' || job.kind === 'train-moe');
  if (training.length === 0) return null;
  const { checkMemory } = await import('../jobs/memory/job-memory.js');
  const check = await checkMemory(training, backend);
  return check.jobs.length > 0 ? check : null;
}

function memoryAsJson(check: MemoryCheck): unknown {
  return {
    backend: check.limit.backend,
    limitBytes: check.limit.bytes,
    jobs: check.jobs.map((j) => ({ key: j.key, label: j.label, batch: j.batch, bytes: j.bytes, activationBytes: j.activationBytes, weightBytes: j.weightBytes, verdict: j.verdict })),
  };
}

const verdictText = { ok: '', warn: '  (close to the limit)', refuse: '  WILL NOT FIT: ablate run refuses it' } as const;

function memoryAsText(check: MemoryCheck, limit: number): string {
  const { limit: backend, jobs } = check;
  const lines = ['', `Memory (estimated peak of each training job, largest first; ${backend.what}${backend.bytes !== null && backend.backend !== 'wasm' ? `: ${formatBytes(backend.bytes)}` : ''}):`];
  const shown = limit > 0 ? jobs.slice(0, limit) : jobs;
  for (const job of shown) {
    lines.push(`  ${job.key}  ${job.label.padEnd(34)} batch ${String(job.batch).padStart(4)}  ${formatBytes(job.bytes).padStart(9)}${verdictText[job.verdict]}`);
  }
  if (shown.length < jobs.length) lines.push(`  ... ${jobs.length - shown.length} more (--limit 0 lists all)`);
  const refused = jobs.filter((j) => j.verdict === 'refuse').length;
  if (refused > 0) lines.push(`  ${refused} job(s) will not fit: lower their batchSize or width, or use another backend or trainer (ablate run says how far).`);
  return lines.join('\n') + '\n';
}
