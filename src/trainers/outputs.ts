import { existsSync, readdirSync } from 'node:fs';
import type { ArtifactRecord, EpochMetrics, JobResult } from '../protocol/records.js';
import type { EvaluateInputs } from '../protocol/job-spec.js';
import { expertLabel } from '../search/trial-view.js';
import { readScoreFile } from '../metrics/files/read-scores.js';
import { readTable } from '../metrics/files/table.js';
import { describeFolder } from '../jobs/artifacts.js';
import { summariseEvaluation, validationThreshold, type SetScores } from '../jobs/scoring.js';
import { evaluationOptions, itemsFor } from '../data/selection/job-items.js';
import type { TrainerItem, TrainerJobFile } from './job-file.js';

/** A trainer that exited 0 without what its job kind needs (or with it unreadable); the message follows "trainer <name> ". */
export class MissingOutput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingOutput';
  }
}

/**
 * What a finished command job hands the store: the same record as the built-in trainer's.
 * Training jobs: the model folder's files and the epoch history. Evaluation: ablate scores
 * the trainer's score files itself (the same ASVspoof-exact scorer whoever trained), with
 * the threshold fixed on validation scores, and averages its per-item gate weights.
 */
export async function collectOutputs(jobFile: TrainerJobFile, resultsDir: string, epochs: EpochMetrics[]): Promise<JobResult> {
  // The job file's inputs are the job's own (build-job-file.ts): an evaluation's are EvaluateInputs.
  const inputs: Partial<EvaluateInputs> = jobFile.inputs;
  const { data } = inputs;
  const { outputs } = jobFile;
  if (jobFile.job.kind !== 'evaluate') {
    if (!existsSync(outputs.model) || readdirSync(outputs.model).length === 0) {
      throw new MissingOutput(`exited 0 but wrote no model: ${outputs.model} is ${existsSync(outputs.model) ? 'empty' : 'missing'}`);
    }
    const artifacts: ArtifactRecord[] = describeFolder(resultsDir, 'model', outputs.model);
    return { artifacts, epochs, summary: { epochs: epochs.length, resumed: jobFile.resume } };
  }
  const experts = inputs.experts ?? [];
  const validation = readSetScores(outputs.validationScores as string, 'the validation items', jobFile.data.validation);
  const options = data?.evaluate ? evaluationOptions(data) : {};
  const sets = [];
  for (const set of jobFile.data.evaluation) {
    const result = readSetScores(outputs.scores[set.name] as string, `evaluation set ${set.name}`, set.items);
    const gateFile = outputs.gates[set.name];
    if (gateFile !== undefined) result.gate = readGates(gateFile, set.name, set.items, experts.map(expertLabel));
    // Optional: a trainer that writes no expert score file gets no per-expert metrics.
    const expertFile = outputs.expertScores?.[set.name];
    if (expertFile !== undefined && existsSync(expertFile)) result.experts = readExpertScores(expertFile, set.name, set.items, experts.map(expertLabel));
    // The job file's items carry no manifest columns: read the set's items again for breakdowns and pooling.
    const items = data?.evaluate ? await itemsFor(data, [set.name], 'eval', resultsDir) : undefined;
    sets.push({ set: { name: set.name, group: set.group, selector: { text: set.name, dataset: '', domain: null, split: null } }, result, ...(items ? { items } : {}) });
  }
  const summary = await summariseEvaluation(sets, validationThreshold(validation), outputs.dir, resultsDir, options);
  return { ...summary, summary: { target: inputs.target, sets: sets.length, scoredBy: 'trainer' } };
}

/** Scores in the items' order, each item exactly once: a missing or unknown id is an error, not a skip. */
function readSetScores(file: string, what: string, items: TrainerItem[]): SetScores {
  if (!existsSync(file)) throw new MissingOutput(`exited 0 but wrote no score file for ${what}: ${file}`);
  const read = readScoreFile(file);
  const byId = new Map<string, number>();
  read.ids.forEach((id, i) => byId.set(id, read.scores[i] as number));
  const missing = items.filter((item) => !byId.has(item.id));
  if (missing.length > 0) {
    throw new MissingOutput(`exited 0 but its score file ${file} has no score for ${missing.length} of the ${items.length} items of ${what} (first: ${missing[0]?.id})`);
  }
  const known = new Set(items.map((item) => item.id));
  const stranger = read.ids.findIndex((id) => !known.has(id));
  if (stranger >= 0) throw new MissingOutput(`exited 0 but its score file ${file} line ${read.lines[stranger]} scores "${read.ids[stranger]}", not an item of ${what}`);
  return {
    ids: items.map((item) => item.id),
    scores: Float32Array.from(items, (item) => byId.get(item.id) as number),
    labels: Uint8Array.from(items, (item) => (item.label === 'bonafide' ? 1 : 0)),
  };
}

/**
 * Per-item gate weights -> mean weight and selection rate (weight > 0) per expert, and the
 * weights themselves in the items' order (the score file's), stored for the gating analysis.
 */
function readGates(file: string, set: string, items: TrainerItem[], labels: string[]): NonNullable<SetScores['gate']> {
  if (!existsSync(file)) throw new MissingOutput(`exited 0 but wrote no gate weights for evaluation set ${set}: ${file}`);
  const table = readTable(file, 'gate weight file');
  const sums = new Array<number>(labels.length).fill(0);
  const selected = new Array<number>(labels.length).fill(0);
  const seen = new Set<string>();
  const itemRow = new Map(items.map((item, i) => [item.id, i]));
  const weights = new Float32Array(items.length * labels.length);
  let header = true;
  for (const row of table.rows()) {
    if (header) {
      header = false;
      if (row.fields.length !== labels.length + 1) {
        throw new MissingOutput(`exited 0 but its gate file ${file} line ${row.line}: expected a header "filename" and ${labels.length} expert columns, found ${row.fields.length - 1}`);
      }
      continue;
    }
    if (row.fields.length !== labels.length + 1) throw new MissingOutput(`exited 0 but its gate file ${file} line ${row.line}: expected ${labels.length + 1} columns, found ${row.fields.length}`);
    seen.add(row.fields[0] as string);
    const at = itemRow.get(row.fields[0] as string);
    for (let e = 0; e < labels.length; e++) {
      const weight = Number(row.fields[e + 1]);
      if (!Number.isFinite(weight) || weight < 0 || weight > 1) throw new MissingOutput(`exited 0 but its gate file ${file} line ${row.line}: gate weight "${row.fields[e + 1]}" is not a number in [0, 1]`);
      sums[e] = (sums[e] as number) + weight;
      if (at !== undefined) weights[at * labels.length + e] = weight;
      if (weight > 0) selected[e] = (selected[e] as number) + 1;
    }
  }
  const missing = items.filter((item) => !seen.has(item.id));
  if (missing.length > 0) throw new MissingOutput(`exited 0 but its gate file ${file} has no weights for ${missing.length} of the ${items.length} items of ${set} (first: ${missing[0]?.id})`);
  const count = Math.max(1, seen.size);
  return { labels, meanWeight: sums.map((s) => s / count), selectedFraction: selected.map((s) => s / count), weights };
}

/** Each expert's own score per item ("filename", then one column per expert), in the items' order. */
function readExpertScores(file: string, set: string, items: TrainerItem[], labels: string[]): NonNullable<SetScores['experts']> {
  const table = readTable(file, 'expert score file');
  const itemRow = new Map(items.map((item, i) => [item.id, i]));
  const scores = new Float32Array(items.length * labels.length).fill(Number.NaN);
  let header = true;
  for (const row of table.rows()) {
    if (row.fields.length !== labels.length + 1) {
      throw new MissingOutput(`exited 0 but its expert score file ${file} line ${row.line}: expected ${header ? 'a header "filename" and ' : ''}${labels.length + 1} columns (the id, then one per expert), found ${row.fields.length}`);
    }
    if (header) {
      header = false;
      continue;
    }
    const at = itemRow.get(row.fields[0] as string);
    if (at === undefined) throw new MissingOutput(`exited 0 but its expert score file ${file} line ${row.line} scores "${row.fields[0]}", not an item of evaluation set ${set}`);
    for (let e = 0; e < labels.length; e++) {
      const score = Number(row.fields[e + 1]);
      if (!Number.isFinite(score)) throw new MissingOutput(`exited 0 but its expert score file ${file} line ${row.line}: score "${row.fields[e + 1]}" is not a finite number`);
      scores[at * labels.length + e] = score;
    }
  }
  const missing = items.findIndex((_, i) => Number.isNaN(scores[i * labels.length] as number));
  if (missing >= 0) throw new MissingOutput(`exited 0 but its expert score file ${file} has no scores for item ${items[missing]?.id} of ${set}`);
  return { labels, scores };
}
