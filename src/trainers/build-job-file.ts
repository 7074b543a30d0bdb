import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobContext } from '../protocol/job-protocol.js';
import type { DatasetItem } from '../data/item.js';
import { evaluationSets, itemsFor, validationSelectors } from '../data/selection/job-items.js';
import { JOB_FILE_VERSION, type TrainerItem, type TrainerJobFile, type TrainerJobKind } from './job-file.js';
import { setFileName, trainerLayout } from './layout.js';
import { DEFAULT_CLIP_SECONDS, DEFAULT_SAMPLE_RATE } from '../config/schema/data.js';

/** The job file of this attempt: the items are resolved here so the trainer needs no dataset code. */
export async function buildJobFile(context: JobContext): Promise<TrainerJobFile> {
  const { job, resultsDir, jobDir } = context;
  if (job.kind !== 'pretrain' && job.kind !== 'train-moe' && job.kind !== 'evaluate') throw new Error(`a command trainer does not run ${job.kind} jobs`);
  // The kinds a trainer runs are the job file's (a fourth would fail to compile here).
  const kind: TrainerJobKind = job.kind;
  const { inputs } = job;
  const { data } = inputs;
  const layout = trainerLayout(jobDir, context.attemptNumber);
  let train: DatasetItem[] = [];
  let validationOn = validationSelectors(data);
  let starts: string[] = [];
  if (job.kind === 'pretrain') {
    const { trainOn } = job.inputs;
    train = await itemsFor(data, trainOn, 'train', resultsDir);
    // As the built-in trainer: an expert pre-trained on one domain validates on that domain.
    validationOn = data.validation && data.validation.length > 0 ? data.validation : trainOn;
  } else if (job.kind === 'train-moe') {
    train = await itemsFor(data, data.train, 'train', resultsDir);
    starts = job.inputs.start;
  } else {
    starts = job.inputs.models;
  }
  const validation = await itemsFor(data, validationOn, 'dev', resultsDir);
  const evaluation = [];
  const scores: Record<string, string> = {};
  const gates: Record<string, string> = {};
  const expertScores: Record<string, string> = {};
  if (job.kind === 'evaluate') {
    for (const set of evaluationSets(job.inputs.data)) {
      evaluation.push({ name: set.name, group: set.group, items: (await itemsFor(data, [set.name], 'eval', resultsDir)).map(toItem) });
      scores[set.name] = join(layout.scores, setFileName(set.name));
      if (job.inputs.target === 'moe') gates[set.name] = join(layout.gates, setFileName(set.name));
      if (job.inputs.target === 'moe') expertScores[set.name] = join(layout.expertScores, setFileName(set.name));
    }
  }
  return {
    protocol: 'ablate-trainer',
    version: JOB_FILE_VERSION,
    job: { key: job.key, kind, attempt: context.attemptNumber },
    // Evaluation has no seed of its own: scoring a model must not depend on one.
    seed: 'seed' in inputs ? inputs.seed : 0,
    resume: hasCheckpoint(layout.checkpoint),
    device: context.device ?? null,
    inputs,
    data: {
      sampleRate: data.sampleRate ?? DEFAULT_SAMPLE_RATE,
      clipSeconds: data.clipSeconds ?? DEFAULT_CLIP_SECONDS,
      train: train.map(toItem),
      validation: validation.map(toItem),
      evaluation,
    },
    inputArtefacts: starts.map((key) => ({
      job: key,
      kind: key.startsWith('pretrain-') ? ('pretrain' as const) : ('train-moe' as const),
      model: trainerLayout(context.depDirs[key] as string, 1).model,
    })),
    outputs: {
      dir: jobDir,
      model: layout.model,
      checkpoint: layout.checkpoint,
      events: layout.events,
      scores,
      validationScores: kind === 'evaluate' ? join(layout.scores, '__validation__.tsv') : null,
      gates,
      expertScores,
    },
  };
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}

function toItem(item: DatasetItem): TrainerItem {
  return {
    id: item.id,
    path: item.path,
    label: item.label,
    dataset: item.dataset,
    domain: item.domain,
    split: item.split,
    ...(item.attack !== undefined ? { attack: item.attack } : {}),
  };
}
