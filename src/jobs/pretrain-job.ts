import { join } from 'node:path';
import type { JobContext } from '../protocol/job-protocol.js';
import type { JobResult } from '../protocol/records.js';
import type { PretrainInputs } from '../protocol/job-spec.js';
import { deriveSeed } from '../util/rng.js';
import { trainClassifier, bonafideScores } from '../train/index.js';
import { eerAndAuc } from '../metrics/index.js';
import { describeFolder } from './artifacts.js';
import { clipPolicy, featuresFor, itemsFor } from './job-data.js';
import { expertInputs } from './eval-inputs.js';
import { epochAugmenter } from './augmented-data.js';
import { classifierHyperParams } from './hyper.js';
import { epochMetrics, loopSummary } from './epochs.js';
import { asInterruptible, trainingHooks } from './interrupt.js';
import { expertVariables, modelDir, saveWeights } from './model-artifact.js';
import { buildTrialExpert } from './expert-model.js';
import { DEFAULT_SAMPLE_RATE } from '../config/schema/data.js';

/**
 * Train one expert alone on its training data (MILE: all training selectors; MELE: its
 * own): class-balanced batches, AdamW, cosine schedule, early stopping on validation, an
 * atomic checkpoint per epoch to resume from. The weights are the job's output, shared by
 * every trial that needs this expert.
 */
export async function pretrainJob(context: JobContext, inputs: PretrainInputs): Promise<JobResult> {
  const { expert, trainOn, seed, data } = inputs;
  const hp = classifierHyperParams(inputs.hp);
  const { resultsDir } = context;
  // An expert pre-trained on one domain validates on that domain's dev split.
  const validationOn = data.validation && data.validation.length > 0 ? data.validation : trainOn;
  context.progress({ stage: 'loading features' });
  const trainInputs = await expertInputs([expert], await itemsFor(data, trainOn, 'train', resultsDir), data, 'train', resultsDir);
  const train = trainInputs.inputs[0] as (typeof trainInputs.inputs)[number];
  const augmented = await epochAugmenter(inputs.augmentation, [expert], trainInputs, data, seed, resultsDir);
  const validation = await featuresFor(data, await itemsFor(data, validationOn, 'dev', resultsDir), expert.features, clipPolicy(data, 'eval'), resultsDir);
  // The model's input is the clip (validation's shape); with per-draw crops the training items are longer.
  const itemShape = validation.itemShape;
  const cropTo = data.cropPoolSeconds !== undefined ? (itemShape[itemShape.length - 1] as number) : undefined;
  const built = buildTrialExpert(expert, itemShape, seed, data.sampleRate ?? DEFAULT_SAMPLE_RATE, 'expert');
  const epochs = [];
  try {
    const result = await asInterruptible(() =>
      trainClassifier({
        model: built.model,
        train: { x: train.x, itemShape: train.itemShape, labels: train.labels },
        ...(augmented ? { trainForEpoch: (epoch: number) => ({ x: augmented(epoch)[0] as Float32Array, itemShape: train.itemShape, labels: train.labels }) } : {}),
        validation: { x: validation.x, itemShape: validation.itemShape, labels: validation.labels },
        hp,
        ...(cropTo !== undefined ? { cropTo } : {}),
        seed: deriveSeed(seed, 'pretrain-loop', context.job.key),
        checkpoint: { dir: join(context.jobDir, 'checkpoint'), resume: true },
        ...trainingHooks(context, 'pretrain', hp.epochs),
      }),
    );
    for (const record of result.history) epochs.push(epochMetrics('pretrain', record));
    // The decision threshold (for balanced accuracy at evaluation) is fixed on validation data.
    const scores = bonafideScores(built.model, validation.x, validation.itemShape);
    const { eer, eerThreshold } = eerAndAuc(scores, validation.labels);
    const dir = modelDir(context.jobDir);
    await saveWeights(dir, expertVariables(built.model), { threshold: eerThreshold, valEer: eer, itemShape });
    return {
      artifacts: describeFolder(resultsDir, 'model', dir),
      epochs,
      summary: {
        ...loopSummary(result),
        valEer: eer,
        threshold: eerThreshold,
        trainItems: train.ids.length,
        validationItems: validation.ids.length,
      },
    };
  } finally {
    built.model.dispose();
  }
}
