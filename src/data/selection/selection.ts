import { UserError } from '../../util/errors.js';
import { Rng } from '../../util/rng.js';
import type { DatasetItem, Split } from '../item.js';

export interface Selector {
  /** As written in the sweep: the name of the evaluation set in results. */
  text: string;
  dataset: string;
  domain: string | null;
  /** null: the stage's usual split. */
  split: Split | 'all' | null;
}

export function parseSelector(text: string): Selector {
  const match = /^([^:@]+)(?::([^@]+))?(?:@(train|dev|eval|all))?$/.exec(text);
  if (!match) throw new UserError(`data selector "${text}" is not of the form dataset[:domain][@split].`);
  return { text, dataset: match[1] as string, domain: match[2] ?? null, split: (match[3] as Selector['split']) ?? null };
}

/**
 * The items a selector names for a stage: its dataset, its domain if given, and the
 * stage's split unless the selector names one (`@all` takes every split, for corpora
 * used only for evaluation). `cap` keeps a seeded, class-stratified subset.
 */
export function selectItems(items: readonly DatasetItem[], selector: Selector, stageSplit: Split, cap?: number): DatasetItem[] {
  const split = selector.split ?? stageSplit;
  const chosen = items.filter((item) => (selector.domain === null || item.domain === selector.domain) && (split === 'all' || item.split === split));
  if (chosen.length === 0) {
    const domains = [...new Set(items.map((i) => i.domain))].join(', ');
    const splits = [...new Set(items.filter((i) => selector.domain === null || i.domain === selector.domain).map((i) => i.split))].join(', ');
    throw new UserError(
      `data selector "${selector.text}" selects no ${split === 'all' ? '' : `${split} `}items. ` +
        `Dataset "${selector.dataset}" has domains ${domains || '(none)'}${selector.domain ? `; domain ${selector.domain} has splits ${splits || '(none)'}` : ''}. ` +
        'Name another domain or split (dataset:domain@split).',
    );
  }
  return cap !== undefined && chosen.length > cap ? stratifiedSubset(chosen, cap, `${selector.text}|${split}`) : chosen;
}

/** `count` items keeping the class balance, drawn from a seed fixed by the selection. */
function stratifiedSubset(items: DatasetItem[], count: number, label: string): DatasetItem[] {
  const rng = Rng.fromLabels('maxItems', label);
  const bonafide = rng.shuffle(items.filter((i) => i.label === 'bonafide'));
  const spoof = rng.shuffle(items.filter((i) => i.label === 'spoof'));
  const takeBonafide = Math.min(bonafide.length, Math.round((count * bonafide.length) / items.length));
  const chosen = new Set([...bonafide.slice(0, takeBonafide), ...spoof.slice(0, count - takeBonafide)]);
  return items.filter((item) => chosen.has(item));
}
