import { join } from 'node:path';
import type { JobContext } from '../protocol/job-protocol.js';
import type { JobResult } from '../protocol/records.js';
import type { TrainMoeInputs } from '../protocol/job-spec.js';
import { epochAugmenter } from './augmented-data.js';
import { deriveSeed } from '../util/rng.js';
import { cacheExpertOutputs, evaluateMixture, trainGateOnCache, trainMixture, type MultiInputData } from '../train/moe/index.js';
import type { TrainResult } from '../train/index.js';
import { describeFolder } from './artifacts.js';
import { itemsFor, validationSelectors } from './job-data.js';
import { expertInputs, type ExpertInputs } from './eval-inputs.js';
import { classifierHyperParams } from './hyper.js';
import { epochMetrics, loopSummary } from './epochs.js';
import { asInterruptible, trainingHooks } from './interrupt.js';
import { assignModelWeights, modelDir, readModelArtifact, saveWeights } from './model-artifact.js';
import { buildMixture, type MixtureSpec } from './mixture-model.js';
import { eerAndAuc } from '../metrics/index.js';
import { DEFAULT_SAMPLE_RATE } from '../config/schema/data.js';

function multiInput(data: ExpertInputs): MultiInputData {
  return { inputs: data.inputs.map((input) => ({ x: input.x, itemShape: input.itemShape })), labels: data.labels };
}

/**
 * Train a trial's mixture on the union of its training data: experts from their
 * pre-trained weights (or seeded random ones when pre-training is off) and the gate,
 * jointly; with frozen experts, only the gate, on each item's expert outputs computed
 * once. Checkpointed every epoch; the weights and what rebuilds the mixture are the output.
 */
export async function trainMoeJob(context: JobContext, inputs: TrainMoeInputs): Promise<JobResult> {
  const { experts, data, seed, start } = inputs;
  const hp = classifierHyperParams(inputs.train ?? {});
  const { resultsDir } = context;
  context.progress({ stage: 'loading features' });
  const trainData = await expertInputs(experts, await itemsFor(data, data.train, 'train', resultsDir), data, 'train', resultsDir);
  const validationData = await expertInputs(experts, await itemsFor(data, validationSelectors(data), 'dev', resultsDir), data, 'eval', resultsDir);
  const spec: MixtureSpec = {
    experts,
    inputIndex: trainData.inputIndex,
    // The models' inputs are clips (validation's shapes); with per-draw crops the training items are longer.
    itemShapes: validationData.inputs.map((input) => input.itemShape),
    gate: inputs.gate ?? {},
    routing: inputs.routing ?? {},
    moe: inputs.moe ?? {},
    labelSmoothing: hp.labelSmoothing,
    seed,
    sampleRate: data.sampleRate ?? DEFAULT_SAMPLE_RATE,
  };
  const augmented = await epochAugmenter(data.augmentation, experts, trainData, data, seed, resultsDir);
  const { mixture, experts: built } = buildMixture(spec);
  try {
    for (const [index, key] of start.entries()) {
      const artifact = await readModelArtifact(modelDir(context.depDirs[key] as string), `pre-trained expert ${index}`);
      assignModelWeights((built[index] as (typeof built)[number]).model, artifact, `pre-trained expert ${index}`);
    }
    const common = {
      hp,
      seed: deriveSeed(seed, 'moe-loop', context.job.key),
      checkpoint: { dir: join(context.jobDir, 'checkpoint'), resume: true },
      ...trainingHooks(context, 'moe', hp.epochs),
    };
    let result: TrainResult;
    const cropTo = data.cropPoolSeconds !== undefined ? validationData.inputs.map((input) => input.itemShape[input.itemShape.length - 1] as number) : undefined;
    // Cached expert outputs hold one crop per item: per-draw crops run the frozen experts on every draw.
    if (mixture.config.freezeExperts && !augmented && cropTo === undefined) {
      // Frozen experts give the same outputs every epoch (without augmentation): compute
      // them once and train the gate on them.
      context.progress({ stage: 'moe', message: 'caching expert outputs' });
      const trainCache = cacheExpertOutputs(mixture, multiInput(trainData));
      const validationCache = cacheExpertOutputs(mixture, multiInput(validationData));
      result = await asInterruptible(() => trainGateOnCache({ mixture, train: trainCache, validation: validationCache, ...common }));
    } else {
      const trainForEpoch = augmented ? (epoch: number) => ({ inputs: augmented(epoch).map((x, i) => ({ x, itemShape: trainData.inputs[i]?.itemShape as number[] })), labels: trainData.labels }) : undefined;
      result = await asInterruptible(() =>
        trainMixture({ mixture, train: multiInput(trainData), ...(trainForEpoch ? { trainForEpoch } : {}), ...(cropTo ? { cropTo } : {}), validation: multiInput(validationData), ...common }),
      );
    }
    const validation = evaluateMixture(mixture, multiInput(validationData));
    const { eerThreshold } = eerAndAuc(validation.scores, validationData.labels);
    const dir = modelDir(context.jobDir);
    await saveWeights(dir, mixture.variables, { mixture: spec, threshold: eerThreshold, valEer: validation.eer });
    return {
      artifacts: describeFolder(resultsDir, 'model', dir),
      epochs: result.history.map((record) => epochMetrics('moe', record)),
      summary: {
        ...loopSummary(result),
        valEer: validation.eer,
        threshold: eerThreshold,
        gateOnValidation: validation.gate,
      },
    };
  } finally {
    mixture.dispose();
  }
}
