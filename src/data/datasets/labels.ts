import type { Label, Split } from '../item.js';
import type { DatasetContext, Where } from './context.js';

/** Map a protocol's label word to ours; anything outside `known` is a clear error. */
export function parseLabel(ctx: DatasetContext, value: string, known: Readonly<Record<string, Label>>, where: Where): Label {
  const label = known[value];
  if (label === undefined) {
    const allowed = Object.keys(known).map((k) => `"${k}"`).join(', ');
    throw ctx.error(`label "${value}" is not one of ${allowed}. Fix the line, or check that the file belongs to this adapter.`, where);
  }
  return label;
}

export const bonafideSpoof: Readonly<Record<string, Label>> = { bonafide: 'bonafide', spoof: 'spoof' };

/** Label words accepted in a generic CSV manifest (the names other corpora and challenges use). */
export const manifestLabels: Readonly<Record<string, Label>> = {
  bonafide: 'bonafide',
  'bona-fide': 'bonafide',
  genuine: 'bonafide',
  real: 'bonafide',
  pristine: 'bonafide',
  spoof: 'spoof',
  fake: 'spoof',
  generated: 'spoof',
};

/** Split words accepted in a generic CSV manifest. */
export const manifestSplits: Readonly<Record<string, Split>> = {
  train: 'train',
  training: 'train',
  dev: 'dev',
  val: 'dev',
  valid: 'dev',
  validation: 'dev',
  eval: 'eval',
  test: 'eval',
  testing: 'eval',
};

export function parseSplit(ctx: DatasetContext, value: string, where: Where): Split {
  const split = manifestSplits[value.toLowerCase()];
  if (split === undefined) {
    throw ctx.error(`split "${value}" is not one of ${Object.keys(manifestSplits).join(', ')}. Fix the value or leave the split column out (then options.seed/fractions split the items).`, where);
  }
  return split;
}

/** A protocol's "-" means "not applicable". */
export function dashToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === '-' || value === '' ? undefined : value;
}
