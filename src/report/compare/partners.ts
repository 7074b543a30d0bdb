import type { Json } from '../../search/paths.js';
import { canonicalJson } from '../../util/hash.js';
import { UserError } from '../../util/errors.js';
import type { Configuration } from '../data/types.js';
import { listLabels } from './select.js';

export interface ConfigurationPair {
  a: Configuration;
  b: Configuration;
}

export interface Partners {
  /** The parameters --a and --b differ in (their values never overlap); everything else is held equal. */
  compared: string[];
  pairs: ConfigurationPair[];
  /** Configurations of either side without a partner on the other (left out of the comparison). */
  unpairedA: Configuration[];
  unpairedB: Configuration[];
}

/** Absent parameters (routing.k of soft routing) compare as a value of their own. */
const absent = '∅';

/**
 * Pair each configuration of A with the one of B that differs only in the compared factors:
 * the parameters whose values in A and in B never overlap ("mlp" vs "transformer" for
 * 'moe mlp soft' vs 'moe transformer soft'). All other parameters must be equal, so each
 * pair answers "this factor, all else equal". Two single configurations are paired as they
 * are, whatever they differ in (the question then is about those two).
 */
export function pairConfigurations(a: Configuration[], b: Configuration[]): Partners {
  const shared = a.filter((c) => b.some((d) => d.key === c.key));
  if (shared.length > 0) {
    throw new UserError(`--a and --b both match ${listLabels(shared)}; give filters that share no configuration.`);
  }
  if (a.length === 1 && b.length === 1) {
    const compared = allPaths([...a, ...b]).filter((p) => value(a[0] as Configuration, p) !== value(b[0] as Configuration, p));
    return { compared, pairs: [{ a: a[0] as Configuration, b: b[0] as Configuration }], unpairedA: [], unpairedB: [] };
  }
  const paths = allPaths([...a, ...b]);
  const compared = paths.filter((p) => {
    const valuesA = new Set(a.map((c) => value(c, p)));
    return !b.some((c) => valuesA.has(value(c, p)));
  });
  if (compared.length === 0) {
    throw new UserError(
      `--a and --b differ in no parameter: every parameter takes some value on both sides (${a.length} and ${b.length} configurations), ` +
        'so no pair differs only in a compared factor. Make the two filters exclusive, e.g. --a \'moe mlp\' --b \'moe transformer\'.',
    );
  }
  const held = paths.filter((p) => !compared.includes(p));
  const signature = (c: Configuration) => held.map((p) => value(c, p)).join('\u0000');
  const bBySignature = new Map<string, Configuration[]>();
  for (const c of b) bBySignature.set(signature(c), [...(bBySignature.get(signature(c)) ?? []), c]);
  const pairs: ConfigurationPair[] = [];
  const unpairedA: Configuration[] = [];
  const used = new Set<string>();
  for (const c of a) {
    const partners = bBySignature.get(signature(c)) ?? [];
    if (partners.length === 0) {
      unpairedA.push(c);
      continue;
    }
    if (partners.length > 1) {
      throw new UserError(
        `${JSON.stringify(c.label)} of --a has ${partners.length} partners in --b (${partners.map((p) => JSON.stringify(p.label)).join(', ')}) ` +
          `that differ from it only in ${compared.join(', ')}; narrow --b to one value of ${compared.join(', ')}.`,
      );
    }
    const partner = partners[0] as Configuration;
    if (used.has(partner.key)) {
      const other = pairs.find((p) => p.b.key === partner.key)?.a;
      throw new UserError(
        `${JSON.stringify(c.label)} and ${JSON.stringify(other?.label)} of --a both pair with ${JSON.stringify(partner.label)} of --b; ` +
          `narrow --a to one value of ${compared.join(', ')}.`,
      );
    }
    used.add(partner.key);
    pairs.push({ a: c, b: partner });
  }
  return { compared, pairs, unpairedA, unpairedB: b.filter((c) => !used.has(c.key)) };
}

function allPaths(configurations: Configuration[]): string[] {
  const paths = new Set<string>(['kind']);
  for (const c of configurations) for (const p of Object.keys(c.params)) paths.add(p);
  return [...paths];
}

function value(c: Configuration, path: string): string {
  if (path === 'kind') return c.kind;
  return path in c.params ? canonicalJson(c.params[path] as Json) : absent;
}
