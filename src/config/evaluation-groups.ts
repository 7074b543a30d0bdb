import type { TrialConfig } from './schema/index.js';
import { ConfigRuleError, child } from './schema-rules.js';

/**
 * What the schema cannot say about `data.evaluate.groups`: each member must be one of the
 * trial's evaluation sets (a group joins sets that are scored anyway; it scores nothing new).
 * `path` is the JSON path of the trial's data section.
 */
export function checkEvaluationGroups(data: TrialConfig['data'], path: string): void {
  const sets = new Set([...data.evaluate.known, ...(data.evaluate.unknown ?? [])]);
  for (const [name, members] of Object.entries(data.evaluate.groups ?? {})) {
    for (const [index, member] of members.entries()) {
      if (!sets.has(member)) {
        throw new ConfigRuleError(
          child(child(child(child(path, 'evaluate'), 'groups'), name), index),
          `"${member}" is not an evaluation set: a group joins sets listed in data.evaluate.known or data.evaluate.unknown (${[...sets].join(', ')}); add it there first.`,
        );
      }
    }
  }
}
