import type { ResolvedExpert } from '../config/schema/index.js';
import { bonafideScores } from '../train/index.js';
import { buildTrialExpert } from './expert-model.js';
import { assignModelWeights, modelDir, readModelArtifact } from './model-artifact.js';
import type { JobData } from './job-data.js';
import type { Scorer } from './scorer.js';
import { DEFAULT_SAMPLE_RATE } from '../config/schema/data.js';

/**
 * One pre-trained expert, or the average ensemble of several: the mean of the experts'
 * bona fide probabilities, scored as its log-odds.
 */
export async function pretrainedScorer(experts: ResolvedExpert[], jobDirs: string[], data: JobData): Promise<Scorer> {
  const built: Array<ReturnType<typeof buildTrialExpert>> = [];
  for (const [index, expert] of experts.entries()) {
    const artifact = await readModelArtifact(modelDir(jobDirs[index] as string), `pre-trained expert ${index}`);
    const itemShape = artifact.extra['itemShape'] as number[];
    // The seed does not matter: every weight is replaced by the trained ones.
    const model = buildTrialExpert(expert, itemShape, 0, data.sampleRate ?? DEFAULT_SAMPLE_RATE, `expert${index}`);
    assignModelWeights(model.model, artifact, `pre-trained expert ${index}`);
    built.push(model);
  }
  return {
    score(inputs) {
      const perExpert = built.map((model, index) => {
        const input = inputs.inputs[inputs.inputIndex[index] as number];
        if (!input) throw new Error(`no input for expert ${index}`);
        return bonafideScores(model.model, input.x, input.itemShape);
      });
      const scores = perExpert.length === 1 ? (perExpert[0] as Float32Array) : averageProbabilities(perExpert);
      return { scores, labels: inputs.labels, ids: inputs.ids };
    },
    dispose() {
      for (const model of built) model.model.dispose();
    },
  };
}

/** log-odds of the mean probability, from per-expert log-odds; stable for large |score|. */
function averageProbabilities(logOdds: Float32Array[]): Float32Array {
  const count = logOdds[0]?.length ?? 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let p = 0;
    for (const scores of logOdds) p += 1 / (1 + Math.exp(-(scores[i] as number)));
    p /= logOdds.length;
    const clamped = Math.min(1 - 1e-7, Math.max(1e-7, p));
    out[i] = Math.log(clamped) - Math.log1p(-clamped);
  }
  return out;
}
