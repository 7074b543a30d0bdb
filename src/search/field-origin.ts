import { readablePath, toPointer } from './json-source.js';
import { isPlainObject, type Json, type JsonObject } from './paths.js';
import type { LoadedSweep } from './load-sweep.js';
import type { RawPoint } from './expand.js';
import { trialDefaults } from '../config/resolve-trial.js';

/**
 * Where in the sweep file a trial's field was set, as "line 12, base.gate.heads", so a rule
 * the trial breaks (src/config/resolve-trial.ts) points at the line to fix: the grid axis
 * that sets it (or a section above it), the include entry, the base, or the named expert.
 * A field left at its default points at the nearest section the file writes. Undefined
 * where the field has no one place (an expert of a cross product or a pool, one of several
 * experts a single-expert baseline splits).
 */
export function fieldOrigin(loaded: LoadedSweep, point: RawPoint, trialPointer: string): string | undefined {
  const segments = trialPointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segments.length === 0) return undefined;
  const sweepPath = segments[0] === 'experts' ? expertOrigin(loaded, point, segments) : sectionOrigin(loaded, point, segments);
  if (sweepPath === undefined) return undefined;
  const line = lineOf(loaded, sweepPath);
  return `${line !== undefined ? `line ${line}, ` : ''}${readablePath(toPointer(sweepPath))}`;
}

function sectionOrigin(loaded: LoadedSweep, point: RawPoint, segments: string[]): Array<string | number> | undefined {
  const dotted = segments.join('.');
  const covers = (path: string) => dotted === path || dotted.startsWith(`${path}.`);
  if (point.origin === 'grid') {
    const axis = Object.keys(loaded.sweep.grid ?? {}).find(covers);
    if (axis !== undefined) return ['grid', axis];
  } else {
    const hits = (loaded.sweep.include ?? []).flatMap((entry, index) => Object.keys(entry).filter(covers).map((key) => ['include', index, key]));
    if (hits.length === 1) return hits[0];
  }
  return deepestIn(loaded.sweep.base as JsonObject | undefined, ['base'], segments);
}

function expertOrigin(loaded: LoadedSweep, point: RawPoint, segments: string[]): Array<string | number> | undefined {
  if (point.origin === 'grid' && Object.keys(loaded.sweep.grid ?? {}).includes('experts')) return ['grid', 'experts'];
  const list = (loaded.sweep.base as JsonObject | undefined)?.['experts'];
  if (!Array.isArray(list)) return undefined;
  const kind = point.template['kind'] ?? trialDefaults.kind;
  const oneExpertEach = kind === 'single' || kind === 'joint' || kind === 'budget-single';
  // One listed expert is copied (MELE) or is the one; several map by position in a mixture only.
  if (list.length > 1 && oneExpertEach) return undefined;
  const index = list.length === 1 ? 0 : Number(segments[1]);
  const entry = list[index];
  const rest = segments.slice(2);
  if (typeof entry === 'string') return deepestIn(loaded.sweep.experts?.[entry] as JsonObject | undefined, ['experts', entry], rest);
  if (isPlainObject(entry)) return deepestIn(entry, ['base', 'experts', index], rest);
  return undefined;
}

/** `prefix` + as much of `segments` as `object` holds. */
function deepestIn(object: JsonObject | undefined, prefix: Array<string | number>, segments: string[]): Array<string | number> | undefined {
  if (object === undefined) return undefined;
  const path = [...prefix];
  let current: Json = object;
  for (const segment of segments) {
    if (!isPlainObject(current) || current[segment] === undefined) break;
    current = current[segment] as Json;
    path.push(segment);
  }
  return path;
}

function lineOf(loaded: LoadedSweep, path: Array<string | number>): number | undefined {
  for (let length = path.length; length > 0; length--) {
    const line = loaded.source.lineOf(toPointer(path.slice(0, length)));
    if (line !== undefined) return line;
  }
  return undefined;
}
