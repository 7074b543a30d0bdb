import { readFileSync, statSync } from 'node:fs';
import { compileExpression } from 'filtrex';
import { closest, distance } from 'fastest-levenshtein';
import { UserError } from '../util/errors.js';
import { JsonSyntaxError, parseJsonWithPositions, readablePath, toPointer, type JsonSource } from './json-source.js';
import { checkAgainst, describe, type Problem } from './validate.js';
import { sweepSchema, trialTemplateSchema, type SweepFile } from '../config/schema/index.js';
import { schemaAt } from './schema-walk.js';
import { isPlainObject } from './paths.js';
import { derivedFieldNames } from './trial-view.js';
import { rootVariableProblems } from '../config/dataset-roots.js';

/** The largest sweep file read (bytes). */
export const maxSweepBytes = 1_000_000;

export interface LoadedSweep {
  file: string;
  sweep: SweepFile;
  source: JsonSource;
}

/** Read, parse and validate a sweep file; every problem becomes one UserError naming the file. */
export function loadSweep(file: string): LoadedSweep {
  const text = readSweepText(file);
  if (text.trim() === '') {
    throw new UserError(`${file}: the file is empty. Expected a JSON object describing a sweep (see sweeps/smoke.json for a small example).`);
  }
  let source: JsonSource;
  try {
    source = parseJsonWithPositions(file, text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new UserError(`${file}:${error.line}:${error.column}: malformed JSON: ${error.message}. Fix the syntax (a trailing comma or a missing quote is the usual cause).`);
    }
    throw error;
  }
  return { file, sweep: validateSweep(file, source), source };
}

function readSweepText(file: string): string {
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) throw new UserError(`${file}: is a folder; expected a sweep file (JSON).`);
    // Parsing with positions costs ~50x the file's size in memory; real sweeps are a few KB.
    if (stats.size > maxSweepBytes) {
      throw new UserError(`${file}: ${(stats.size / 1e6).toFixed(1)} MB; a sweep file may be at most ${maxSweepBytes / 1e6} MB. Large grids come from axes, not from listing points; long text belongs outside the sweep.`);
    }
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${file}: no such file. Give the path of a sweep file, e.g. sweeps/smoke.json.`);
    throw new UserError(`${file}: cannot read the file (${code ?? String(error)}).`);
  }
}

/** Validate a parsed document as a sweep: the schema first, then what a schema cannot say. */
export function validateSweep(file: string, source: JsonSource): SweepFile {
  const data = source.data;
  if (!isPlainObject(data)) {
    throw new UserError(`${file}: the top level must be a JSON object describing a sweep (got ${describe(data)}).`);
  }
  const problems = checkAgainst(sweepSchema, data);
  // Paths and values inside the grid are checked even when other parts are wrong, so one run
  // shows every problem; parts with the wrong shape are skipped there (the schema reported them).
  problems.push(...checkSemantics(data as SweepFile));
  if (problems.length > 0) throw sweepError(file, source, problems);
  return data as SweepFile;
}

export function sweepError(file: string, source: JsonSource, problems: Problem[]): UserError {
  const lines = problems.slice(0, 8).map((p) => {
    const line = source.lineOf(p.pointer) ?? nearestLine(source, p.pointer);
    return `  - ${line ? `line ${line}, ` : ''}${readablePath(p.pointer)}: ${p.message}`;
  });
  const more = problems.length > 8 ? `\n  ... and ${problems.length - 8} more` : '';
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return new UserError(`${file}: invalid sweep (${problems.length} ${noun}):\n${lines.join('\n')}${more}\nFix the file and run again; docs/SWEEPS.md describes every field.`);
}

function nearestLine(source: JsonSource, pointer: string): number | undefined {
  const parts = pointer.split('/');
  while (parts.length > 1) {
    parts.pop();
    const line = source.lineOf(parts.join('/'));
    if (line) return line;
  }
  return undefined;
}

/** Axis paths and values, include/exclude keys, constraint syntax, seeds. */
function checkSemantics(sweep: SweepFile): Problem[] {
  const problems: Problem[] = [];
  for (const [path, axis] of Object.entries(isPlainObject(sweep.grid) ? sweep.grid : {})) {
    const pointer = toPointer(['grid', path]);
    const values = Array.isArray(axis) ? axis : (axis as { values?: unknown }).values;
    if (!Array.isArray(values)) continue;
    const valuesPointer = Array.isArray(axis) ? pointer : `${pointer}/values`;
    problems.push(...checkPathValues(path, values, valuesPointer, pointer));
    if (!Array.isArray(axis) && isPlainObject((axis as { when?: unknown }).when)) {
      for (const conditionPath of Object.keys((axis as { when: object }).when)) {
        const problem = checkPath(conditionPath, toPointer(['grid', path, 'when', conditionPath]));
        if (problem) problems.push(problem);
      }
    }
  }
  (Array.isArray(sweep.include) ? sweep.include : []).forEach((entry, index) => {
    if (!isPlainObject(entry)) return;
    for (const [path, value] of Object.entries(entry)) {
      problems.push(...checkPathValues(path, [value], toPointer(['include', index, path]), toPointer(['include', index, path]), false));
    }
  });
  (Array.isArray(sweep.exclude) ? sweep.exclude : []).forEach((entry, index) => {
    if (!isPlainObject(entry)) return;
    for (const path of Object.keys(entry)) {
      const problem = checkPath(path, toPointer(['exclude', index, path]));
      if (problem) problems.push(problem);
    }
  });
  (Array.isArray(sweep.constraints) ? sweep.constraints : []).forEach((expression, index) => {
    if (typeof expression !== 'string') return;
    const problem = checkConstraint(expression);
    if (problem) problems.push({ pointer: toPointer(['constraints', index]), message: problem });
  });
  if (sweep.seeds && sweep.repeats) {
    problems.push({ pointer: '/repeats', message: 'give either `seeds` or `repeats`, not both' });
  }
  problems.push(...checkRootVariables(sweep));
  return problems;
}

/**
 * Dataset roots may name only dataset variables (src/config/dataset-roots.ts): checked
 * wherever a root can be written, under a `root` key or as the levels of a `....root` axis.
 */
function checkRootVariables(sweep: SweepFile): Problem[] {
  const problems: Problem[] = [];
  const visit = (value: unknown, segments: Array<string | number>, isRoot: boolean): void => {
    if (typeof value === 'string') {
      if (isRoot) for (const message of rootVariableProblems(value)) problems.push({ pointer: toPointer(segments), message });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...segments, index], isRoot));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, [...segments, key], key === 'root' || key.endsWith('.root') || (isRoot && key === 'values'));
    }
  };
  visit(sweep, [], false);
  return problems;
}

/** Whether a dotted path names a field of a trial (or a derived one like numExperts). */
export function checkPath(path: string, pointer: string): Problem | undefined {
  if (derivedFieldNames.includes(path)) return undefined;
  const lookup = schemaAt(trialTemplateSchema, path);
  if (lookup.found) return undefined;
  const candidates = lookup.parentPath === '' ? [...lookup.known, ...derivedFieldNames] : lookup.known;
  const suggestion = candidates.length > 0 ? closest(lookup.failedSegment, candidates) : undefined;
  const close = suggestion !== undefined && distance(lookup.failedSegment, suggestion) <= Math.max(2, lookup.failedSegment.length / 3);
  const where = lookup.parentPath ? ` under "${lookup.parentPath}"` : '';
  const fullSuggestion = close ? ` Did you mean "${lookup.parentPath ? `${lookup.parentPath}.` : ''}${suggestion}"?` : '';
  return {
    pointer,
    message: `unknown field "${lookup.failedSegment}"${where} in path "${path}".${fullSuggestion} Known: ${candidates.join(', ')}.`,
  };
}

function checkPathValues(path: string, values: unknown[], valuesPointer: string, pathPointer: string, indexed = true): Problem[] {
  const problem = checkPath(path, pathPointer);
  if (problem) return [problem];
  if (derivedFieldNames.includes(path)) {
    return [{ pointer: pathPointer, message: `"${path}" is derived from the experts and cannot be set; sweep experts.count instead` }];
  }
  const lookup = schemaAt(trialTemplateSchema, path);
  if (!lookup.found) return [];
  const schema = lookup.schemas.length === 1 ? (lookup.schemas[0] as object) : { anyOf: lookup.schemas };
  return values.flatMap((value, index) => checkAgainst(schema, value, indexed ? `${valuesPointer}/${index}` : valuesPointer));
}

/** Syntax, and the fields the expression reads (collected by running it once on nothing). */
function checkConstraint(expression: string): string | undefined {
  const names: string[] = [];
  try {
    const probe = compileExpression(expression, {
      customProp: (name: string) => {
        names.push(name);
        return 0;
      },
    });
    probe({});
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\s*\n\s*/g, ' ').trim() : String(error);
    return `cannot parse constraint ${JSON.stringify(expression)}: ${message}`;
  }
  for (const name of names) {
    const problem = checkPath(name, '');
    if (problem) return `constraint ${JSON.stringify(expression)}: ${problem.message}`;
  }
  return undefined;
}
