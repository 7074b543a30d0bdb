/**
 * How the rows of a trial's scores are named in the store (`scores.dataset`) beside the
 * evaluation sets themselves (selectors, which contain neither spaces nor brackets):
 * named evaluation groups `__group:<name>__` (like the default `__known__`, `__unknown__`
 * and `__all__`), and a set's breakdown by an item column, `<set> [<column>=<value>]`.
 * Both are stored with the group `aggregate`, so nothing that lists evaluation sets from
 * the stored rows takes them for sets.
 */
export function groupRowName(group: string): string {
  return `__group:${group}__`;
}

export function parseGroupRowName(name: string): string | null {
  const match = /^__group:(.+)__$/.exec(name);
  return match ? (match[1] as string) : null;
}

export function breakdownRowName(set: string, column: string, value: string): string {
  return `${set} [${column}=${value}]`;
}

export function parseBreakdownRowName(name: string): { set: string; column: string; value: string } | null {
  const match = /^(\S+) \[([A-Za-z0-9_.-]+)=(.*)\]$/.exec(name);
  return match ? { set: match[1] as string, column: match[2] as string, value: match[3] as string } : null;
}
