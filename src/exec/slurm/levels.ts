import type { JobSpec, Plan } from '../../search/index.js';

/**
 * Split the jobs to submit into dependency levels: a job's level is one more than the
 * highest level among its dependencies that are submitted too (dependencies done already,
 * or queued from an earlier submission, do not count). Each level becomes one job array
 * that starts after the arrays its jobs depend on: features, then pre-training, then the
 * mixtures, then evaluation, with levels compressed when earlier work is done. Within a
 * level, jobs keep the plan's order, so earlier trials finish first.
 */
export function dependencyLevels(plan: Plan, submit: Set<string>): JobSpec[][] {
  const level = new Map<string, number>();
  const levelOf = (key: string, path: Set<string>): number => {
    const known = level.get(key);
    if (known !== undefined) return known;
    if (path.has(key)) throw new Error(`dependency cycle through job ${key}`);
    path.add(key);
    const spec = plan.jobs.get(key) as JobSpec;
    let mine = 0;
    for (const dep of spec.deps) if (submit.has(dep)) mine = Math.max(mine, levelOf(dep, path) + 1);
    path.delete(key);
    level.set(key, mine);
    return mine;
  };
  const levels: JobSpec[][] = [];
  const seen = new Set<string>();
  for (const trialPlan of plan.trials.values()) {
    for (const key of trialPlan.jobs) {
      if (!submit.has(key) || seen.has(key)) continue;
      seen.add(key);
      const index = levelOf(key, new Set());
      (levels[index] ??= []).push(plan.jobs.get(key) as JobSpec);
    }
  }
  return levels.filter((jobs) => jobs !== undefined);
}

export interface ArrayPlan {
  level: number;
  /** "2/3" when a level needs several arrays, else null. */
  partLabel: string | null;
  /** File name stem: level-<n> or level-<n>-<part>. */
  name: string;
  jobs: JobSpec[];
}

/** One array per level, or several where a level has more jobs than Slurm's MaxArraySize allows. */
export function splitArrays(levels: JobSpec[][], maxSize: number): ArrayPlan[] {
  const arrays: ArrayPlan[] = [];
  levels.forEach((jobs, i) => {
    const parts = Math.ceil(jobs.length / maxSize);
    for (let part = 0; part < parts; part++) {
      arrays.push({
        level: i + 1,
        partLabel: parts > 1 ? `${part + 1}/${parts}` : null,
        name: parts > 1 ? `level-${i + 1}-${part + 1}` : `level-${i + 1}`,
        jobs: jobs.slice(part * maxSize, (part + 1) * maxSize),
      });
    }
  });
  return arrays;
}
