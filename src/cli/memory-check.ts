import type { Plan } from '../search/index.js';
import { UserError } from '../util/errors.js';
import { jobProgressFromStore } from './plan-progress.js';

/** Jobs listed by name in a refusal or warning; the rest are counted. */
const NAMED = 5;

/**
 * Before a run: estimate the peak memory of every built-in training job that is not done
 * yet (src/train/memory) and refuse, naming the jobs, their estimates and what to change,
 * when one cannot fit its backend; warn when one comes close. A crash of the wasm backend
 * at its 4 GiB heap costs the whole attempt and says only `Aborted()`, so saying it first
 * is worth the second of building the models symbolically. `--no-memory-check` runs anyway.
 */
export async function memoryPreflight(plan: Plan, backend: string, resultsDir: string, enforce: boolean): Promise<void> {
  // A replacement job runner (ABLATE_JOB_RUNNER: tests, benchmarks) trains nothing on TensorFlow.js.
  if (process.env['ABLATE_JOB_RUNNER']) return;
  let done = new Set<string>();
  try {
    done = jobProgressFromStore(resultsDir, plan)?.doneKeys ?? done;
  } catch {
    // A store the run cannot read fails the run itself with its own message (exit 3); check every job here.
  }
  const pending = [...plan.jobs.values()].filter((job) => !done.has(job.key) && (job.kind === 'pretrain' || job.kind === 'train-moe'));
  if (pending.length === 0) return;
  // TensorFlow.js loads only when there is something to estimate.
  const { checkMemory, describeEstimate, memoryAdvice } = await import('../jobs/memory/job-memory.js');
  const { limit, jobs } = await checkMemory(pending, backend);
  const refused = jobs.filter((j) => j.verdict === 'refuse');
  const warned = jobs.filter((j) => j.verdict === 'warn');
  const listed = (list: typeof jobs) =>
    list.slice(0, NAMED).map((j) => `  ${describeEstimate(j, limit)}`).concat(list.length > NAMED ? [`  ... and ${list.length - NAMED} more (ablate plan lists them all)`] : []);
  if (refused.length > 0) {
    const lines = [
      `${refused.length} training job(s) will not fit in memory: ${limit.what} (backend ${limit.backend}); estimated peaks:`,
      ...listed(refused),
      `To fit: ${memoryAdvice(refused[0] as (typeof jobs)[number], limit)}.` +
        (enforce ? ' To try anyway (the estimate is calibrated within about 20 %), add --no-memory-check.' : ' Running anyway (--no-memory-check).'),
    ];
    if (enforce) throw new UserError(lines.join('\n'));
    process.stderr.write(`warning: ${lines.join('\n')}\n`);
  }
  if (warned.length > 0) {
    process.stderr.write(
      [`warning: ${warned.length} training job(s) come within 20 % of what backend ${limit.backend} can hold (${limit.what}); estimated peaks:`, ...listed(warned)].join('\n') + '\n',
    );
  }
}
