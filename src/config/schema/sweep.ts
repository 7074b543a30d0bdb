import type { FromSchema } from 'json-schema-to-ts';
import { featureConfigSchema } from './features.js';
import { expertConfigSchema } from './experts.js';
import { trialTemplateSchema } from './trial.js';

/** Values an axis or pattern assigns: a path's value (anything its schema allows). */
const levelsSchema = { type: 'array', minItems: 1, description: 'the levels of this axis (values of the field at the path).' } as const;

/** Where a conditional axis applies: path -> value or list of allowed values. */
const conditionSchema = {
  type: 'object',
  minProperties: 1,
  description: 'the axis applies only to points whose fields match (value, or a list of accepted values).',
} as const;

export const axisSchema = {
  anyOf: [
    levelsSchema,
    {
      type: 'object',
      additionalProperties: false,
      required: ['values'],
      properties: { values: levelsSchema, when: conditionSchema },
    },
  ],
} as const;

/** A sweep name is one safe path segment (it names <results>/<name>/): no '.', '..', no leading '-' or dot. */
export const sweepNamePattern = '^[A-Za-z0-9_][A-Za-z0-9_.-]*$';

/**
 * A sweep file. `base` is one trial; `grid` maps dotted paths of the trial (`gate.type`,
 * `routing`, `experts.count`...) to their levels and expands as a product; `include` adds
 * extra points, `exclude` and `constraints` remove points, and every point is run once per
 * seed. Points that resolve to the same trial collapse into one.
 */
export const sweepSchema = {
  $id: 'https://ablate.dev/schema/sweep.schema.json',
  title: 'ablate sweep',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'base'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: sweepNamePattern, maxLength: 100, description: 'names the sweep in the store and the report folder: letters, digits, _ . -, starting with a letter, digit or _ (at most 100 characters).' },
    // Free text lands in the store and every report: bounded (a 50 MB one cost 2-3 GB).
    description: { type: 'string', maxLength: 10_000, description: 'free text shown in reports (at most 10 000 characters).' },
    features: {
      type: 'object',
      additionalProperties: featureConfigSchema,
      description: 'named feature front ends experts refer to.',
    },
    experts: {
      type: 'object',
      additionalProperties: expertConfigSchema,
      description: 'named experts expert sets refer to.',
    },
    base: trialTemplateSchema,
    grid: {
      type: 'object',
      additionalProperties: axisSchema,
      description: 'dotted path -> levels (or {values, when}); the grid is their product.',
    },
    include: {
      type: 'array',
      items: { type: 'object', description: 'dotted path -> value, merged over base.' },
      description: 'extra points beyond the grid (each still run once per seed unless it sets `seed`).',
    },
    exclude: {
      type: 'array',
      items: { type: 'object', minProperties: 1, description: 'dotted path -> value or list; a point matching every entry is dropped.' },
    },
    constraints: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 1_000 },
      description:
        'expressions every trial must satisfy, over dotted paths and `numExperts` (e.g. "routing.k <= numExperts"); filtrex syntax.',
    },
    seeds: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1, maxItems: 10_000, uniqueItems: true, description: 'trial seeds (default [0]).' },
    repeats: { type: 'integer', minimum: 1, maximum: 10_000, description: 'shorthand for seeds 0..repeats-1.' },
  },
} as const;

export type SweepFile = FromSchema<typeof sweepSchema>;
