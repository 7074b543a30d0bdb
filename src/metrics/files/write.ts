import { writeFileAtomically } from '../../util/atomic.js';
import { UserError } from '../../util/errors.js';

export interface ScoreRow {
  id: string;
  score: number;
}

export interface KeyRow {
  id: string;
  isBonafide: boolean;
}

/**
 * Write scores as the ASVspoof 5 eval package reads them: tab-separated, header
 * `filename<TAB>cm-score`, one trial per line. Numbers are written in their shortest exact
 * form (JavaScript's number-to-string round-trips), so re-reading gives the same doubles.
 * Written atomically: a reader sees the old file or the whole new one.
 */
export async function writeAsvspoof5Scores(path: string, rows: Iterable<ScoreRow>): Promise<void> {
  const lines = ['filename\tcm-score'];
  const seen = new Set<string>();
  for (const { id, score } of rows) {
    checkId(id, seen, path);
    if (!Number.isFinite(score)) {
      throw new UserError(`${path}: the score of trial "${id}" is ${String(score)}; NaN and infinite scores cannot be written (the scorers refuse them).`);
    }
    lines.push(`${id}\t${String(score)}`);
  }
  await writeFileAtomically(path, `${lines.join('\n')}\n`);
}

/** Write keys as the ASVspoof 5 eval package reads them: header `filename<TAB>cm-label`. */
export async function writeAsvspoof5Keys(path: string, rows: Iterable<KeyRow>): Promise<void> {
  const lines = ['filename\tcm-label'];
  const seen = new Set<string>();
  for (const { id, isBonafide } of rows) {
    checkId(id, seen, path);
    lines.push(`${id}\t${isBonafide ? 'bonafide' : 'spoof'}`);
  }
  await writeFileAtomically(path, `${lines.join('\n')}\n`);
}

function checkId(id: string, seen: Set<string>, path: string): void {
  if (id === '' || /\s/.test(id)) {
    throw new UserError(`${path}: trial name "${id}" is empty or holds whitespace; score files separate columns by tabs and spaces.`);
  }
  if (seen.has(id)) throw new UserError(`${path}: trial "${id}" is written twice; each trial needs one line.`);
  seen.add(id);
}
