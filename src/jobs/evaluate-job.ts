import type { JobContext } from '../protocol/job-protocol.js';
import type { JobResult } from '../protocol/records.js';
import type { EvaluateInputs } from '../protocol/job-spec.js';
import { UserError } from '../util/errors.js';
import { evaluationOptions, evaluationSets, itemsFor, validationSelectors } from './job-data.js';
import { expertInputs } from './eval-inputs.js';
import { summariseEvaluation, validationThreshold } from './scoring.js';
import { pretrainedScorer } from './pretrained-scorer.js';
import { mixtureScorer } from './mixture-scorer.js';
import type { Scorer } from './scorer.js';

export type { Scorer } from './scorer.js';

/**
 * Score every evaluation set of a trial with its trained model (one pre-trained expert,
 * the average ensemble of pre-trained experts, the mixture, or the mixture's experts
 * without their gate), with the decision threshold fixed on validation data, and store
 * per-set metrics, their known/unknown/all means, score files and gate weights.
 */
export async function evaluateJob(context: JobContext, inputs: EvaluateInputs): Promise<JobResult> {
  const { target, models, experts, data } = inputs;
  const { resultsDir } = context;
  const modelDirs = models.map((key) => context.depDirs[key] as string);
  let scorer: Scorer;
  switch (target) {
    case 'single':
    case 'ensemble':
      scorer = await pretrainedScorer(target === 'single' ? experts.slice(0, 1) : experts, modelDirs, data);
      break;
    case 'moe':
    case 'gate-ablated':
      scorer = await mixtureScorer(target, modelDirs[0] as string, data);
      break;
    default:
      throw new UserError(`unknown evaluation target ${target}`);
  }
  try {
    context.progress({ stage: 'evaluate', message: 'validation' });
    const validation = await expertInputs(experts, await itemsFor(data, validationSelectors(data), 'dev', resultsDir), data, 'eval', resultsDir);
    const threshold = validationThreshold(scorer.score(validation));
    const sets = [];
    for (const [index, set] of evaluationSets(data).entries()) {
      context.progress({ stage: 'evaluate', step: index + 1, steps: evaluationSets(data).length, message: set.name });
      const items = await itemsFor(data, [set.name], 'eval', resultsDir);
      const inputsOfSet = await expertInputs(experts, items, data, 'eval', resultsDir);
      sets.push({ set, result: scorer.score(inputsOfSet), items: inputsOfSet.items });
    }
    const summary = await summariseEvaluation(sets, threshold, context.jobDir, resultsDir, evaluationOptions(data));
    return { ...summary, summary: { target, threshold, sets: sets.length } };
  } finally {
    scorer.dispose();
  }
}
