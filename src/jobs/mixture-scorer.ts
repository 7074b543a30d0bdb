import { expertLabel } from '../search/index.js';
import { evaluateGateAblated, evaluateMixture, expertOwnScores, type MultiInputData } from '../train/moe/index.js';
import { assignSavedWeights, modelDir, readModelArtifact } from './model-artifact.js';
import { buildMixture, type MixtureSpec } from './mixture-model.js';
import type { JobData } from './job-data.js';
import type { Scorer } from './scorer.js';
import type { ExpertInputs } from './eval-inputs.js';

/**
 * The trained mixture, or its experts averaged without the gate (the gate-ablated control:
 * the same fine-tuned experts, equal weights), rebuilt from its saved spec and weights.
 */
export async function mixtureScorer(target: 'moe' | 'gate-ablated', jobDir: string, _data: JobData): Promise<Scorer> {
  const artifact = await readModelArtifact(modelDir(jobDir), 'trained mixture');
  const spec = artifact.extra['mixture'] as MixtureSpec;
  const { mixture } = buildMixture(spec);
  assignSavedWeights(mixture.variables, artifact, 'trained mixture');
  const labels = spec.experts.map((expert) => expertLabel(expert));
  const asData = (inputs: ExpertInputs): MultiInputData => ({ inputs: inputs.inputs.map((i) => ({ x: i.x, itemShape: i.itemShape })), labels: inputs.labels });
  return {
    score(inputs) {
      if (target === 'gate-ablated') {
        const { scores } = evaluateGateAblated(mixture, asData(inputs));
        return { scores, labels: inputs.labels, ids: inputs.ids };
      }
      const data = asData(inputs);
      const evaluation = evaluateMixture(mixture, data);
      // Hard routing that skips unselected experts never ran them on every item: run each alone.
      const expertScores = mixture.skipsUnselectedExperts ? expertOwnScores(mixture.members, data) : evaluation.expertScores;
      return {
        scores: evaluation.scores,
        labels: inputs.labels,
        ids: inputs.ids,
        gate: { labels, meanWeight: evaluation.gate.meanWeight, selectedFraction: evaluation.gate.selectionRate, weights: evaluation.weights },
        experts: { labels, scores: expertScores },
      };
    },
    dispose() {
      mixture.dispose();
    },
  };
}
