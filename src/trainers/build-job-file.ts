import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobContext } from '../protocol/job-protocol.js';
import type { DatasetItem } from '../data/item.js';
import { evaluationSets, itemsFor, validationSelectors, type JobData } from '../data/selection/job-items.js';
import { JOB_FILE_VERSION, type TrainerItem, type TrainerJobFile, type TrainerJobKind } from './job-file.js';
import { setFileName, trainerLayout } from './layout.js';

const trainerKinds: readonly string[] = ['pretrain', 'train-moe', 'evaluate'];

/** The job file of this attempt: the items are resolved here so the trainer needs no dataset code. */
export async function buildJobFile(context: JobContext): Promise<TrainerJobFile> {
  const { job, resultsDir, jobDir } = context;
  if (!trainerKinds.includes(job.kind)) throw new Error(`a command trainer does not run ${job.kind} jobs`);
  const kind = job.kind as TrainerJobKind;
  const inputs = job.inputs;
  const data = inputs['data'] as unknown as JobData;
  const layout = trainerLayout(jobDir, context.attemptNumber);
  let train: DatasetItem[] = [];
  let validationOn = validationSelectors(data);
  let starts: string[] = [];
  if (kind === 'pretrain') {
    const trainOn = inputs['trainOn'] as string[];
    train = await itemsFor(data, trainOn, 'train', resultsDir);
    // As the built-in trainer: an expert pre-trained on one domain validates on that domain.
    validationOn = data.validation && data.validation.length > 0 ? data.validation : trainOn;
  } else if (kind === 'train-moe') {
    train = await itemsFor(data, data.train, 'train', resultsDir);
    starts = inputs['start'] as string[];
  } else {
    starts = inputs['models'] as string[];
  }
  const validation = await itemsFor(data, validationOn, 'dev', resultsDir);
  const evaluation = [];
  const scores: Record<string, string> = {};
  const gates: Record<string, string> = {};
  const expertScores: Record<string, string> = {};
  if (kind === 'evaluate') {
    for (const set of evaluationSets(data)) {
      evaluation.push({ name: set.name, group: set.group, items: (await itemsFor(data, [set.name], 'eval', resultsDir)).map(toItem) });
      scores[set.name] = join(layout.scores, setFileName(set.name));
      if (inputs['target'] === 'moe') gates[set.name] = join(layout.gates, setFileName(set.name));
      if (inputs['target'] === 'moe') expertScores[set.name] = join(layout.expertScores, setFileName(set.name));
    }
  }
  return {
    protocol: 'ablate-trainer',
    version: JOB_FILE_VERSION,
    job: { key: job.key, kind, attempt: context.attemptNumber },
    // Evaluation has no seed of its own: scoring a model must not depend on one.
    seed: typeof inputs['seed'] === 'number' ? inputs['seed'] : 0,
    resume: hasCheckpoint(layout.checkpoint),
    device: context.device ?? null,
    inputs: inputs as TrainerJobFile['inputs'],
    data: {
      sampleRate: data.sampleRate ?? 16000,
      clipSeconds: data.clipSeconds ?? 3,
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
