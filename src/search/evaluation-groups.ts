import type { TrialConfig } from '../config/schema/index.js';

/**
 * What the schema cannot say about `data.evaluate.groups`: each member must be one of the
 * trial's evaluation sets (a group joins sets that are scored anyway; it scores nothing new).
 * Returns the first problem as a JSON pointer and a message, or null.
 */
export function evaluationGroupProblem(data: TrialConfig['data']): { pointer: string; message: string } | null {
  const sets = new Set([...data.evaluate.known, ...(data.evaluate.unknown ?? [])]);
  for (const [name, members] of Object.entries(data.evaluate.groups ?? {})) {
    for (const [index, member] of members.entries()) {
      if (!sets.has(member)) {
        return {
          pointer: `/data/evaluate/groups/${name}/${index}`,
          message: `"${member}" is not an evaluation set: a group joins sets listed in data.evaluate.known or data.evaluate.unknown (${[...sets].join(', ')}); add it there first.`,
        };
      }
    }
  }
  return null;
}
