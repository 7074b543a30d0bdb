import type { FromSchema } from 'json-schema-to-ts';

/**
 * The job file: what ablate tells a command trainer about one attempt of one job. It is the
 * whole contract in one direction (the event stream and the output files are the other,
 * events.ts and outputs.ts), written here once as a JSON Schema with its TypeScript type
 * derived from it, emitted to schema/trainer-job.schema.json and described in
 * docs/TRAINERS.md. `version` changes only when a field changes meaning or goes away;
 * new optional fields keep it.
 */
export const JOB_FILE_VERSION = 1;

const itemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'path', 'label', 'dataset', 'domain', 'split'],
  properties: {
    id: { type: 'string', description: 'the utterance id; score and gate files name items by it.' },
    path: { type: 'string', description: 'absolute path of the audio file (WAV, FLAC or MP3).' },
    label: { enum: ['bonafide', 'spoof'] },
    dataset: { type: 'string', description: 'the dataset\'s name in the sweep.' },
    domain: { type: 'string', description: 'the domain (source or generator family) within the dataset.' },
    split: { enum: ['train', 'dev', 'eval'] },
    attack: { type: 'string' },
  },
} as const;

const itemListSchema = { type: 'array', items: itemSchema } as const;

export const jobFileSchema = {
  $id: 'https://ablate.dev/schema/trainer-job.schema.json',
  title: 'ablate trainer job file',
  type: 'object',
  additionalProperties: false,
  required: ['protocol', 'version', 'job', 'seed', 'resume', 'device', 'inputs', 'data', 'inputArtefacts', 'outputs'],
  properties: {
    protocol: { const: 'ablate-trainer' },
    version: { const: JOB_FILE_VERSION },
    job: {
      type: 'object',
      additionalProperties: false,
      required: ['key', 'kind', 'attempt'],
      properties: {
        key: { type: 'string', description: 'the job key (content hash of kind and inputs): stable across attempts and runs.' },
        kind: { enum: ['pretrain', 'train-moe', 'evaluate'], description: 'what to do (docs/TRAINERS.md, "Job kinds").' },
        attempt: { type: 'integer', minimum: 1, description: 'this attempt\'s number (1 for the first).' },
      },
    },
    seed: { type: 'integer', minimum: 0, description: 'the trial seed: derive every random choice from it.' },
    resume: { type: 'boolean', description: 'true when outputs.checkpoint holds a checkpoint of an earlier attempt: continue from it.' },
    device: {
      type: ['string', 'null'],
      description: 'the GPU(s) given to this attempt, as in CUDA_VISIBLE_DEVICES; null when ablate assigns none (run on the CPU or as the machine allows).',
    },
    inputs: { type: 'object', description: 'the job\'s resolved inputs as the planner made them (kind-specific; docs/TRAINERS.md).' },
    data: {
      type: 'object',
      additionalProperties: false,
      required: ['sampleRate', 'clipSeconds', 'train', 'validation', 'evaluation'],
      properties: {
        sampleRate: { type: 'integer', description: 'resample audio to this rate (Hz).' },
        clipSeconds: { type: 'number', description: 'crop or tile each clip to this length.' },
        train: { ...itemListSchema, description: 'training items (pretrain, train-moe; empty for evaluate).' },
        validation: { ...itemListSchema, description: 'validation items (early stopping; evaluate scores them to fix the decision threshold).' },
        evaluation: {
          type: 'array',
          description: 'evaluation sets (evaluate only; empty otherwise).',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'group', 'items'],
            properties: { name: { type: 'string' }, group: { enum: ['known', 'unknown'] }, items: itemListSchema },
          },
        },
      },
    },
    inputArtefacts: {
      type: 'array',
      description: 'models of the jobs this one starts from, in order: pre-trained experts (train-moe), the models to score (evaluate).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['job', 'kind', 'model'],
        properties: {
          job: { type: 'string' },
          kind: { enum: ['pretrain', 'train-moe'] },
          model: { type: 'string', description: 'the folder that job\'s trainer wrote its model into.' },
        },
      },
    },
    outputs: {
      type: 'object',
      additionalProperties: false,
      required: ['dir', 'model', 'checkpoint', 'events', 'scores', 'validationScores', 'gates', 'expertScores'],
      properties: {
        dir: { type: 'string', description: 'the job folder (the working folder is the trainer\'s own cwd).' },
        model: { type: 'string', description: 'folder for the model (pretrain, train-moe): at least one file on success.' },
        checkpoint: { type: 'string', description: 'folder for checkpoints; kept across attempts.' },
        events: { type: 'string', description: 'append JSON-lines events here (also in ABLATE_EVENTS_FILE).' },
        scores: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'evaluate: evaluation set name -> score file to write (ASVspoof 5: "filename<TAB>cm-score", higher = bona fide).',
        },
        validationScores: { type: ['string', 'null'], description: 'evaluate: the score file of the validation items; null otherwise.' },
        gates: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'evaluate of a mixture: evaluation set name -> per-item gate weight file ("filename" then one column per expert).',
        },
        expertScores: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'evaluate of a mixture, optional to write: evaluation set name -> per-item file of each expert\'s own score ("filename" then one column per expert; higher = bona fide).',
        },
      },
    },
  },
} as const;

export type TrainerJobFile = FromSchema<typeof jobFileSchema>;
export type TrainerItem = TrainerJobFile['data']['train'][number];
export type TrainerJobKind = TrainerJobFile['job']['kind'];

/** Environment variables every attempt gets, beside the trainer's own `env`. */
export const jobEnvironment = {
  jobFile: 'ABLATE_JOB_FILE',
  jobDir: 'ABLATE_JOB_DIR',
  jobKind: 'ABLATE_JOB_KIND',
  seed: 'ABLATE_SEED',
  resume: 'ABLATE_RESUME',
  eventsFile: 'ABLATE_EVENTS_FILE',
  protocolVersion: 'ABLATE_PROTOCOL_VERSION',
} as const;
