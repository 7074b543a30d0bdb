import type { FromSchema } from 'json-schema-to-ts';

/**
 * Who runs a trial's training and scoring jobs: ablate's own TensorFlow.js trainer
 * (`"builtin"`, the default, dropped from the normal form so trial ids stay as they were)
 * or a program speaking the trainer protocol (docs/TRAINERS.md). The whole object is part
 * of the trial: another command (or other limits) is another trial, as another learning
 * rate would be.
 */
export const commandTrainerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['command'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'a short name for tables and status lines (default: the program\'s file name).' },
    command: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
      description: 'argv of the program (no shell): the first entry is found on PATH or relative to cwd.',
    },
    cwd: { type: 'string', minLength: 1, description: 'working folder (relative: to the folder `ablate run` starts in; default: that folder).' },
    env: { type: 'object', additionalProperties: { type: 'string' }, description: 'environment variables added to ablate\'s own.' },
    timeoutSeconds: { type: 'number', exclusiveMinimum: 0, description: 'an attempt running longer fails (default: none).' },
    heartbeatSeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 600,
      description: 'an attempt whose event stream stays silent this long fails (each event line is a heartbeat).',
    },
    graceSeconds: { type: 'number', minimum: 0, default: 30, description: 'between SIGTERM and SIGKILL when a run stops or a limit is hit.' },
    gpu: { type: 'boolean', default: true, description: 'its training and evaluation jobs take a GPU slot when `ablate run --gpus` is given.' },
  },
} as const;

export const trainerSchema = {
  anyOf: [{ const: 'builtin' }, commandTrainerSchema],
  description: 'who runs the training and evaluation jobs: "builtin" (TensorFlow.js, default) or a command (docs/TRAINERS.md).',
} as const;

export type CommandTrainer = FromSchema<typeof commandTrainerSchema, { keepDefaultedPropertiesOptional: true }>;
export type TrainerConfig = FromSchema<typeof trainerSchema, { keepDefaultedPropertiesOptional: true }>;

/** The command trainer of a job's inputs, or null when the built-in trainer runs it. */
export function commandTrainerOf(inputs: Record<string, unknown>): CommandTrainer | null {
  const trainer = inputs['trainer'];
  return trainer !== null && typeof trainer === 'object' && Array.isArray((trainer as CommandTrainer).command) ? (trainer as CommandTrainer) : null;
}

/** A trainer's name for messages and labels: its `name`, else its script's file name (not the interpreter's). */
export function trainerName(trainer: CommandTrainer): string {
  if (trainer.name) return trainer.name;
  const script = trainer.command.slice(1).find((arg) => /\.(py|m?js|ts|sh|R|jl)$/.test(arg));
  const program = script ?? (trainer.command[0] as string);
  return program.slice(program.lastIndexOf('/') + 1);
}

/** The trainer of a trial as one label: "builtin" or the command trainer's name. */
export function trainerLabel(trainer: TrainerConfig | undefined): string {
  return trainer === undefined || trainer === 'builtin' ? 'builtin' : trainerName(trainer);
}
