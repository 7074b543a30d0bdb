import { existsSync } from 'node:fs';
import type { Split } from '../item.js';
import type { DatasetContext } from './context.js';

export interface SplitSource<T> {
  split: Split;
  /** The protocol (or label) file this split is read from. */
  file: string;
  extra: T;
}

/**
 * Which of a corpus's per-split protocol files to read. By default every split whose file
 * exists (ASVspoof 5 eval keys, for instance, came out long after train and dev), with a
 * note for each absent one; with `options.splits`, exactly those, each required. No file
 * at all is an error naming every expected path.
 */
export function selectSplits<T>(ctx: DatasetContext, sources: ReadonlyArray<SplitSource<T>>, hint: string): Array<SplitSource<T>> {
  const wanted = ctx.option<Split[] | undefined>('splits');
  if (wanted !== undefined) {
    const chosen = sources.filter((source) => wanted.includes(source.split));
    for (const source of chosen) {
      if (!existsSync(source.file)) throw ctx.error(`the ${source.split} protocol ${source.file} does not exist (options.splits asks for it). ${hint}`);
    }
    return chosen;
  }
  const present = sources.filter((source) => existsSync(source.file));
  if (present.length === 0) {
    throw ctx.error(`found none of the protocol files ${sources.map((s) => s.file).join(', ')}. ${hint}`);
  }
  for (const source of sources) {
    if (!present.includes(source)) ctx.warn(`no ${source.split} split: ${source.file} does not exist (reading ${present.map((s) => s.split).join(', ')}).`);
  }
  return present;
}
