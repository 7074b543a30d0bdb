import { compileExpression } from 'filtrex';
import { UserError } from '../util/errors.js';
import { getPath, type Json, type JsonObject } from './paths.js';
import { matches } from './expand.js';
import { checkPath } from './load-sweep.js';
import { trialView } from './trial-view.js';
import type { TrialConfig } from '../config/schema/index.js';

/** Thrown inside a constraint when it reads a field this trial does not have. */
class NotApplicable extends Error {}

export interface Constraint {
  expression: string;
  /** True when the trial satisfies it, or when it reads a field the trial does not have. */
  holds(config: TrialConfig): boolean;
}

/**
 * Compile `constraints` (filtrex expressions over dotted paths and derived fields such as
 * numExperts). A constraint that reads a field a trial lacks (`routing.k` of a soft-gated
 * trial) does not apply to that trial rather than rejecting it.
 */
export function compileConstraints(expressions: string[]): Constraint[] {
  return expressions.map((expression) => {
    const evaluate = compileExpression(expression, {
      customProp: (name: string, get: (name: string) => unknown, object: Record<string, unknown>) => {
        if (name in object) return get(name);
        const problem = checkPath(name, '');
        if (problem) throw new UserError(`constraint ${JSON.stringify(expression)}: ${problem.message}`);
        throw new NotApplicable(name);
      },
    });
    return {
      expression,
      holds(config: TrialConfig) {
        const result: unknown = evaluate(trialView(config));
        if (result instanceof UserError) throw result;
        if (result instanceof NotApplicable) return true;
        if (result instanceof Error) throw new UserError(`constraint ${JSON.stringify(expression)} failed to evaluate: ${result.message}`);
        return Boolean(result);
      },
    };
  });
}

/** Whether a trial matches an exclude pattern (every entry equal to, or one of, the given values). */
export function excludedBy(pattern: Record<string, Json>, config: TrialConfig, template: JsonObject): boolean {
  const view = trialView(config);
  return Object.entries(pattern).every(([path, accepted]) => {
    const value = path in view ? view[path] : (getPath(config, path) ?? getPath(template, path));
    return value !== undefined && matches(value, accepted);
  });
}
