import type { ResolvedExpert, TrialConfig } from '../config/schema/index.js';
import type { EvaluationSetData, TrainingData } from '../protocol/job-spec.js';

/**
 * What each kind of job sees of a trial's `data` section. Evaluation must never change
 * training (issue 16): the sets a trial is evaluated on, its evaluation groups and
 * breakdowns, the cap on evaluation items and the datasets only evaluation reads are left
 * out of the inputs (and so of the keys) of the feature, pre-training and mixture-training
 * jobs. Adding an evaluation set to a finished sweep then finds every training job done,
 * and runs only the evaluations and the features of the new set's items.
 */

type DataSection = TrialConfig['data'];

/** The dataset a selector (`dataset[:domain][@split]`) reads. */
export function selectorDataset(selector: string): string {
  return selector.split(/[:@]/, 1)[0] as string;
}

/** Every evaluation set a trial scores, in the order the sweep lists them (known first). */
export function evaluationSelectors(data: DataSection): string[] {
  return [...data.evaluate.known, ...(data.evaluate.unknown ?? [])];
}

/**
 * The data section of the training jobs: without augmentation (`withAugmentation` false:
 * features are computed from clean audio), without `evaluate`, without the evaluation cap,
 * and with only the datasets that training or validation read (the trial's selectors and
 * its experts' pre-training domains); a dataset no selector names at all stays, since it
 * cannot have been added for evaluation.
 */
export function trainingData(data: DataSection, experts: readonly ResolvedExpert[], withAugmentation: boolean): TrainingData {
  const { evaluate: _evaluate, augmentation, maxItems, datasets, ...rest } = data;
  const trainedOn = new Set([...data.train, ...(data.validation ?? []), ...experts.flatMap((e) => e.pretrainDomains ?? [])].map(selectorDataset));
  const evaluatedOn = new Set(evaluationSelectors(data).map(selectorDataset));
  const kept = Object.fromEntries(Object.entries(datasets).filter(([name]) => trainedOn.has(name) || !evaluatedOn.has(name)));
  const out: TrainingData = { ...rest, datasets: kept };
  if (maxItems !== undefined) {
    const { eval: _eval, ...trainingCaps } = maxItems;
    if (Object.keys(trainingCaps).length > 0) out.maxItems = trainingCaps;
  }
  if (withAugmentation && augmentation !== undefined) out.augmentation = augmentation;
  return out;
}

/**
 * The data section of the feature job of one evaluation set: what its items and their
 * clips depend on, nothing else, so each set's features are computed (and keyed) once
 * whatever else the sweep evaluates.
 */
export function evaluationSetData(data: DataSection, selector: string): EvaluationSetData {
  const name = selectorDataset(selector);
  const spec = data.datasets[name];
  const out: EvaluationSetData = { datasets: spec === undefined ? {} : { [name]: spec } };
  if (data.sampleRate !== undefined) out.sampleRate = data.sampleRate;
  if (data.clipSeconds !== undefined) out.clipSeconds = data.clipSeconds;
  if (data.maxItems?.eval !== undefined) out.maxItems = { eval: data.maxItems.eval };
  return out;
}
