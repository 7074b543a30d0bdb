import type { Json } from '../../search/paths.js';
import { canonicalJson, contentHash } from '../../util/hash.js';
import { routingLabel } from '../../config/routing.js';

/** Derived fields that only restate the expert list: never worth a word of their own in a label. */
const restating = new Set(['numExperts', 'expertArchs', 'expertFeatures']);

/** Phrasing for parameters whose bare value reads ambiguously. */
const phrasing: Record<string, (value: Json) => string> = {
  'gate.input': (v) => `${String(v)} input`,
};

export interface LabelInput {
  key: string;
  kind: string;
  params: Record<string, Json>;
}

/**
 * Short readable labels for configurations ("moe mlp top-1 separate", "single lcnn/mel"):
 * the kind, then the value of each parameter that differs between configurations of that
 * kind, in the sweep's parameter order. Labels that still collide get the colliding
 * parameters spelled out as path=value.
 */
export function configurationLabels(configurations: LabelInput[], order: string[]): Map<string, string> {
  const words = configurationLabelWords(configurations, order);
  const labels = new Map<string, string>();
  for (const c of configurations) labels.set(c.key, (words.get(c.key) as string[]).join(' '));
  // Spell out every parameter where two configurations still share a label.
  const byLabel = groupBy(configurations, (c) => labels.get(c.key) as string);
  for (const [label, group] of byLabel) {
    if (group.length < 2) continue;
    for (const c of group) {
      const extra = sortedPaths(Object.keys(c.params), order)
        .filter((p) => p !== 'kind')
        .map((p) => `${p}=${formatValue(c.params[p] as Json)}`);
      labels.set(c.key, [label, ...extra].join(' '));
    }
  }
  const counts = new Map<string, number>();
  for (const c of configurations) {
    const label = labels.get(c.key) as string;
    const seen = counts.get(label) ?? 0;
    counts.set(label, seen + 1);
    if (seen > 0) labels.set(c.key, `${label} #${seen + 1}`);
  }
  return labels;
}

/**
 * The words of each configuration's label before collisions are spelled out: the kind,
 * then one word or phrase per varying parameter ("no pretrain" and "enhanced input" are one
 * word each), so `compare` can match a filter such as 'moe mlp soft' word by word.
 */
export function configurationLabelWords(configurations: LabelInput[], order: string[]): Map<string, string[]> {
  const varyingByKind = new Map<string, Set<string>>();
  for (const [kind, group] of groupBy(configurations, (c) => c.kind)) {
    const values = new Map<string, Set<string>>();
    const present = new Map<string, number>();
    for (const c of group) {
      for (const [path, value] of Object.entries(c.params)) {
        values.set(path, (values.get(path) ?? new Set<string>()).add(canonicalJson(value)));
        present.set(path, (present.get(path) ?? 0) + 1);
      }
    }
    // A parameter that some configurations of the kind lack (routing.k of soft routing) varies too.
    const varying = [...values.keys()].filter((p) => (values.get(p)?.size ?? 0) > 1 || (present.get(p) ?? 0) < group.length);
    varyingByKind.set(kind, new Set(varying));
  }
  return new Map(configurations.map((c) => [c.key, labelOf(c, varyingByKind.get(c.kind) ?? new Set(), order)]));
}

/** The gate and its routing read as one phrase ("mlp top-1"), so they lead. */
const leading = ['gate.type', 'routing.mode', 'routing.k'];

function labelOf(c: LabelInput, varying: Set<string>, order: string[]): string[] {
  // The probe is a row beside every dataset's results: named for what it is, not its kind.
  const words = [c.kind === 'probe' ? 'shortcut probe' : c.kind];
  const paths = sortedPaths(Object.keys(c.params), [...leading, ...order.filter((p) => !leading.includes(p))]).filter((p) => p !== 'kind' && p !== 'seed' && !restating.has(p) && varying.has(p));
  for (const path of paths) {
    if (path === 'routing.k') continue; // folded into routing.mode
    const value = c.params[path] as Json;
    if (path === 'routing.mode') {
      const k = c.params['routing.k'];
      words.push(routingLabel({ mode: String(value), k: typeof k === 'number' ? k : undefined }));
      continue;
    }
    words.push(wordFor(path, value));
  }
  if (varying.has('routing.k') && !paths.includes('routing.mode') && c.params['routing.k'] !== undefined) {
    const mode = c.params['routing.mode'];
    words.push(routingLabel({ mode: typeof mode === 'string' ? mode : 'topk', k: c.params['routing.k'] as number }));
  }
  return words;
}

function wordFor(path: string, value: Json): string {
  const phrase = phrasing[path];
  if (phrase) return phrase(value);
  if (typeof value === 'boolean') {
    const subject = path.endsWith('.enabled') ? path.slice(0, -'.enabled'.length) : path;
    return value ? subject : `no ${subject}`;
  }
  if (typeof value === 'string') return value;
  return `${path}=${formatValue(value)}`;
}

function formatValue(value: Json): string {
  return typeof value === 'string' ? value : canonicalJson(value);
}

function sortedPaths(paths: string[], order: string[]): string[] {
  const rank = (p: string) => {
    const i = order.indexOf(p);
    return i < 0 ? order.length : i;
  };
  return [...paths].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return out;
}

/**
 * A file-name part from a label: lower case, letters and digits joined by dashes; long
 * ones are cut and given a hash of the configuration so they stay unique and stable.
 */
export function slugOf(label: string, key: string, maxLength = 60): string {
  const slug = label
    .toLowerCase()
    .replace(/\+/g, ' plus ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug || contentHash(key, 8);
  return `${slug.slice(0, maxLength - 9).replace(/-+$/, '')}-${contentHash(key, 8)}`;
}

/** Slugs for labels, made unique with a short hash of the configuration where two collide. */
export function uniqueSlugs(entries: Array<{ key: string; label: string }>): Map<string, string> {
  const slugs = new Map(entries.map((e) => [e.key, slugOf(e.label, e.key)]));
  const counts = new Map<string, number>();
  for (const slug of slugs.values()) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  for (const e of entries) {
    const slug = slugs.get(e.key) as string;
    if ((counts.get(slug) ?? 0) > 1) slugs.set(e.key, `${slug}-${contentHash(e.key, 8)}`);
  }
  return slugs;
}
