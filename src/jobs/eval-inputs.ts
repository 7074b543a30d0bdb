import type { ResolvedExpert } from '../config/schema/index.js';
import type { DatasetItem } from '../data/item.js';
import { canonicalJson } from '../util/hash.js';
import { clipPolicy, featuresFor, itemsFor, type JobData, type LabelledFeatures } from './job-data.js';

/**
 * The inputs of a set of experts for some items: one feature matrix per distinct front end
 * (experts sharing a front end share it), plus which input each expert reads. Every matrix
 * holds the same items in the same order.
 */
export interface ExpertInputs {
  inputs: LabelledFeatures[];
  /** experts[i] reads inputs[inputIndex[i]]. */
  inputIndex: number[];
  labels: Uint8Array;
  ids: string[];
  items: DatasetItem[];
}

export async function expertInputs(
  experts: readonly ResolvedExpert[],
  items: readonly DatasetItem[],
  data: JobData,
  stage: 'train' | 'eval',
  resultsDir: string,
): Promise<ExpertInputs> {
  const keys: string[] = [];
  const inputIndex = experts.map((expert) => {
    const key = canonicalJson(expert.features);
    let index = keys.indexOf(key);
    if (index < 0) {
      keys.push(key);
      index = keys.length - 1;
    }
    return index;
  });
  const inputs: LabelledFeatures[] = [];
  for (const key of keys) {
    const features = experts[inputIndex.indexOf(keys.indexOf(key))]?.features as ResolvedExpert['features'];
    inputs.push(await featuresFor(data, items, features, clipPolicy(data, stage), resultsDir));
  }
  const first = inputs[0] as LabelledFeatures;
  for (const other of inputs.slice(1)) {
    if (other.ids.length !== first.ids.length || other.ids.some((id, i) => id !== first.ids[i])) {
      throw new Error('feature sets of the same items disagree on which files could be read');
    }
  }
  return { inputs, inputIndex, labels: first.labels, ids: first.ids, items: first.items };
}

export async function expertInputsFor(
  experts: readonly ResolvedExpert[],
  selectors: readonly string[],
  split: 'train' | 'dev' | 'eval',
  data: JobData,
  resultsDir: string,
): Promise<ExpertInputs> {
  const items = await itemsFor(data, selectors, split, resultsDir);
  return expertInputs(experts, items, data, split === 'train' ? 'train' : 'eval', resultsDir);
}
