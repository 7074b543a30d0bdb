import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Ajv } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';

const metricsSchema = {
  type: 'object',
  additionalProperties: { type: ['number', 'null'] },
  description: 'metric name -> value (loss, valEer, valLoss, lr, ... as the report names them).',
} as const;

/**
 * One line of a trainer's event stream. Every line, whatever its event, is also a
 * heartbeat; `time` is free for the trainer's own logs and ignored.
 */
export const eventSchema = {
  $id: 'https://ablate.dev/schema/trainer-event.schema.json',
  title: 'ablate trainer event',
  oneOf: [
    {
      type: 'object',
      required: ['event', 'epoch', 'metrics'],
      properties: {
        event: { const: 'epoch' },
        epoch: { type: 'integer', minimum: 1, description: '1-based epoch just finished.' },
        epochs: { type: 'integer', minimum: 1, description: 'epochs planned.' },
        stage: { type: 'string', description: 'default: "pretrain" for pretrain jobs, "moe" for train-moe jobs.' },
        metrics: metricsSchema,
        time: {},
      },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['event'],
      properties: {
        event: { const: 'progress' },
        message: { type: 'string' },
        epoch: { type: 'integer', minimum: 0 },
        epochs: { type: 'integer', minimum: 1 },
        step: { type: 'integer', minimum: 0 },
        steps: { type: 'integer', minimum: 1 },
        loss: { type: 'number' },
        time: {},
      },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['event'],
      properties: { event: { const: 'heartbeat' }, time: {} },
      additionalProperties: false,
    },
  ],
} as const;

export type TrainerEvent = FromSchema<typeof eventSchema>;

const ajv = new Ajv({ allErrors: false, strict: true });
const validateEvent = ajv.compile<TrainerEvent>(eventSchema);

/** A line that is not a valid event: names the file and line, says what was expected. */
export class MalformedEvent extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file} line ${line}: ${reason}`);
    this.name = 'MalformedEvent';
  }
}

/** Parse one line; throws MalformedEvent. */
export function parseEvent(text: string, file: string, line: number): TrainerEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedEvent(file, line, `not JSON (${(error as Error).message}): ${clip(text)}`);
  }
  if (!validateEvent(value)) {
    const kind = value !== null && typeof value === 'object' ? (value as { event?: unknown }).event : undefined;
    const expected = '{"event": "epoch" | "progress" | "heartbeat", ...} (docs/TRAINERS.md, "Events")';
    const detail = typeof kind === 'string' && ['epoch', 'progress', 'heartbeat'].includes(kind) ? eventProblem(value, kind) : `expected ${expected}`;
    throw new MalformedEvent(file, line, `${detail}: ${clip(text)}`);
  }
  return value;
}

/** The first schema problem of the branch the line meant (its `event`), in words. */
function eventProblem(value: unknown, kind: string): string {
  const branch = eventSchema.oneOf.find((b) => b.properties.event.const === kind);
  const check = ajv.compile(branch as object);
  check(value);
  const error = check.errors?.[0];
  if (!error) return `invalid ${kind} event`;
  const where = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : kind;
  if (error.keyword === 'additionalProperties') return `a ${kind} event has no field "${String(error.params['additionalProperty'])}"`;
  return `${kind} event: ${where} ${error.message ?? 'is invalid'}`;
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Reads a growing events file from where it left off: complete lines only (a line being
 * written stays for the next read), so a trainer may flush whenever it likes.
 */
export class EventTail {
  private offset = 0;
  private lineNumber = 0;
  private partial = '';
  // A UTF-8 character split across two reads stays whole.
  private readonly decoder = new StringDecoder('utf8');

  constructor(readonly file: string) {}

  /** New events since the last call (empty when the file does not exist yet). */
  read(): TrainerEvent[] {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return [];
    }
    const chunks: string[] = [];
    try {
      const size = fstatSync(fd).size;
      const buffer = Buffer.alloc(64 * 1024);
      while (this.offset < size) {
        const n = readSync(fd, buffer, 0, buffer.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        chunks.push(this.decoder.write(buffer.subarray(0, n)));
      }
    } finally {
      closeSync(fd);
    }
    if (chunks.length === 0) return [];
    const text = this.partial + chunks.join('');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const events: TrainerEvent[] = [];
    for (const line of lines) {
      this.lineNumber++;
      if (line.trim() === '') continue;
      events.push(parseEvent(line, this.file, this.lineNumber));
    }
    return events;
  }

  /** After the trainer exited: a last line without its newline counts too. */
  flush(): TrainerEvent[] {
    const events = this.read();
    if (this.partial.trim() !== '') {
      this.lineNumber++;
      events.push(parseEvent(this.partial, this.file, this.lineNumber));
    }
    this.partial = '';
    return events;
  }
}
