import type { Json } from '../../search/paths.js';
import { expertLabel, trialView, type TrialConfig, type ResolvedExpert } from '../../search/index.js';
import { getSweep, sweepEpochMetrics, sweepExpertMetrics, sweepGateWeights, sweepJobs, sweepScores, sweepTrials, type Db, type ScoreRow } from '../../store/index.js';
import { sweepStatus } from '../../status/sweep-status.js';
import { canonicalJson } from '../../util/hash.js';
import { UserError } from '../../util/errors.js';
import { withAggregates } from './aggregates.js';
import { configurationLabels, configurationLabelWords, uniqueSlugs } from './labels.js';
import type { BreakdownEntry, Configuration, EpochPoint, EvaluationSet, Factor, ReportData, ReportTrial, TrialScores } from './types.js';
import { parseBreakdownRowName, parseGroupRowName } from '../../metrics/score-names.js';

/** Everything the report shows about one sweep, read from the store in a handful of queries. */
export function loadReportData(db: Db, sweep: string): ReportData {
  const row = getSweep(db, sweep);
  if (!row) throw new UserError(`no sweep named ${sweep} in this results store.`);
  const axes = JSON.parse(row.axes) as Factor[];
  const trials = sweepTrials(db, sweep).map((t): ReportTrial => {
    const config = JSON.parse(t.config) as TrialConfig & { seed?: number };
    const params = JSON.parse(t.params) as Record<string, Json>;
    const { seed: _seed, ...withoutSeed } = params;
    return {
      id: t.id,
      kind: t.kind,
      state: t.state,
      params,
      view: trialView(config),
      seed: typeof config.seed === 'number' ? config.seed : 0,
      configuration: canonicalJson({ kind: t.kind, ...withoutSeed }),
    };
  });
  const configurations = groupConfigurations(trials, axes.map((a) => a.path));
  const scoreRows = sweepScores(db, sweep);
  const evaluationSets = evaluationSetsOf(trials, scoreRows);
  const done = new Set(trials.filter((t) => t.state === 'done').map((t) => t.id));
  const scores = new Map<string, TrialScores>();
  for (const s of scoreRows) {
    if (!done.has(s.trial_id) || s.value === null) continue;
    const byDataset = scores.get(s.trial_id) ?? new Map<string, Record<string, number>>();
    scores.set(s.trial_id, byDataset);
    byDataset.set(s.dataset, { ...(byDataset.get(s.dataset) ?? {}), [s.metric]: s.value });
  }
  for (const trialScores of scores.values()) withAggregates(trialScores, evaluationSets);
  const { evaluationGroups, breakdowns } = groupsAndBreakdowns(scoreRows, evaluationSets);
  // A breakdown the sweep asks for that no evaluated item carries gets an empty table that
  // says so, rather than no table at all (a misspelt manifest column would vanish silently).
  if (done.size > 0) {
    for (const t of sweepTrials(db, sweep)) {
      const declared = (JSON.parse(t.config) as TrialConfig).data?.evaluate;
      const columns = declared && !Array.isArray(declared) ? ((declared as { breakdown?: string[] }).breakdown ?? []) : [];
      for (const column of columns) if (!breakdowns.has(column)) breakdowns.set(column, []);
    }
  }
  return {
    sweep: { name: row.name, file: row.file, description: row.description },
    status: sweepStatus(db, sweep),
    progress: { done: done.size, total: trials.length },
    factors: axes.filter((a) => a.path !== 'seed'),
    trials,
    configurations,
    evaluationSets,
    scores,
    gateWeights: sweepGateWeights(db, sweep).filter((g) => done.has(g.trial_id)),
    expertMetrics: sweepExpertMetrics(db, sweep).filter((m) => done.has(m.trial_id)),
    epochs: epochPoints(db, sweep),
    evaluationGroups,
    breakdowns,
  };
}

/** The named groups and breakdown rows the stored scores hold (src/metrics/score-names.ts). */
function groupsAndBreakdowns(rows: ScoreRow[], sets: EvaluationSet[]): { evaluationGroups: string[]; breakdowns: Map<string, BreakdownEntry[]> } {
  const groups = new Set<string>();
  const entries = new Map<string, BreakdownEntry>();
  for (const row of rows) {
    const group = parseGroupRowName(row.dataset);
    if (group !== null) groups.add(group);
    const part = parseBreakdownRowName(row.dataset);
    if (part) entries.set(row.dataset, { set: part.set, value: part.value, dataset: row.dataset, column: part.column } as BreakdownEntry & { column: string });
  }
  const order = new Map(sets.map((s, i) => [s.name, i]));
  const breakdowns = new Map<string, BreakdownEntry[]>();
  const sorted = [...entries.values()].sort(
    (a, b) => (order.get(a.set) ?? Infinity) - (order.get(b.set) ?? Infinity) || (a.set < b.set ? -1 : a.set > b.set ? 1 : 0) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
  for (const entry of sorted as Array<BreakdownEntry & { column: string }>) {
    const { column, ...rest } = entry;
    const list = breakdowns.get(column) ?? [];
    list.push(rest);
    breakdowns.set(column, list);
  }
  return { evaluationGroups: [...groups], breakdowns };
}

function groupConfigurations(trials: ReportTrial[], order: string[]): Configuration[] {
  const groups = new Map<string, ReportTrial[]>();
  for (const trial of trials) {
    const members = groups.get(trial.configuration);
    if (members) members.push(trial);
    else groups.set(trial.configuration, [trial]);
  }
  const inputs = [...groups].map(([key, members]) => {
    const first = members[0] as ReportTrial;
    const { seed: _seed, ...params } = first.params;
    return { key, kind: first.kind, params };
  });
  const labels = configurationLabels(inputs, order);
  const words = configurationLabelWords(inputs, order);
  const slugs = uniqueSlugs(inputs.map((i) => ({ key: i.key, label: labels.get(i.key) as string })));
  return inputs.map((i) => ({
    ...i,
    label: labels.get(i.key) as string,
    words: words.get(i.key) as string[],
    slug: slugs.get(i.key) as string,
    trials: groups.get(i.key) as ReportTrial[],
  }));
}

/**
 * The evaluation sets in the order the sweep lists them (known first), read from the trial
 * configs so a sweep with nothing finished still knows them; sets that only the stored
 * scores name are added after.
 */
function evaluationSetsOf(trials: ReportTrial[], scores: ScoreRow[]): EvaluationSet[] {
  const sets = new Map<string, EvaluationSet>();
  for (const trial of trials) {
    for (const group of ['known', 'unknown'] as const) {
      const names = trial.view[`data.evaluate.${group}`];
      if (Array.isArray(names)) for (const name of names) if (typeof name === 'string' && !sets.has(name)) sets.set(name, { name, group });
    }
  }
  for (const row of scores) {
    if ((row.grp === 'known' || row.grp === 'unknown') && !sets.has(row.dataset)) sets.set(row.dataset, { name: row.dataset, group: row.grp });
  }
  const ordered = [...sets.values()];
  return [...ordered.filter((s) => s.group === 'known'), ...ordered.filter((s) => s.group === 'unknown')];
}

/** Per-epoch metrics of each trial's training jobs, named by what the job trained. */
function epochPoints(db: Db, sweep: string): EpochPoint[] {
  const roles = new Map<string, string>();
  for (const job of sweepJobs(db, sweep)) {
    if (job.kind === 'train-moe') roles.set(job.key, 'mixture');
    else if (job.kind === 'pretrain') {
      const expert = (JSON.parse(job.inputs) as { expert?: ResolvedExpert }).expert;
      roles.set(job.key, expert ? `pretrain ${expertLabel(expert)}` : 'pretrain');
    } else roles.set(job.key, job.kind);
  }
  return sweepEpochMetrics(db, sweep)
    .filter((e): e is typeof e & { value: number } => e.value !== null)
    .map((e) => ({ trialId: e.trial_id, role: roles.get(e.job_key) ?? e.kind, epoch: e.epoch, name: e.name, value: e.value }));
}
