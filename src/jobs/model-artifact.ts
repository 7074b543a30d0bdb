import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';
import { assignArrays, loadCheckpoint, modelVariables, readArrays, saveCheckpoint, type Checkpoint, type NamedVariable } from '../train/index.js';

/** A trained model's weights as the job's output: jobs/<key>/model/ (checkpoint format, atomic). */
export function modelDir(jobDir: string): string {
  return join(jobDir, 'model');
}

export async function saveWeights(dir: string, variables: NamedVariable[], extra: Record<string, unknown> = {}): Promise<string> {
  return saveCheckpoint(dir, { fingerprint: 'model', epoch: 0, step: 0, extra }, readArrays(variables, 'weights'));
}

/** A saved model artifact (weights and what was saved with them); it must exist. */
export async function readModelArtifact(dir: string, what: string): Promise<Checkpoint> {
  const checkpoint = await loadCheckpoint(dir);
  if (!checkpoint) throw new UserError(`${what}: no trained weights at ${dir}. The job that makes them must run first (rerun the sweep).`);
  return checkpoint;
}

/** Put saved weights into variables (by name; every variable must be there with its shape). */
export function assignSavedWeights(variables: NamedVariable[], artifact: Checkpoint, what: string): void {
  assignArrays(
    variables,
    artifact.arrays.filter((a) => a.group === 'weights'),
    `${what} (${artifact.dir})`,
  );
}

/**
 * An expert's variables named without its model-name prefix ("expert3_conv1/kernel" ->
 * "conv1/kernel"): a pre-trained expert is saved under one name and loaded into mixtures
 * under another.
 */
export function expertVariables(model: tf.LayersModel): NamedVariable[] {
  const prefix = `${model.name}_`;
  return modelVariables(model).variables.map(({ name, variable }) => ({ name: name.startsWith(prefix) ? name.slice(prefix.length) : name, variable }));
}

export function assignModelWeights(model: tf.LayersModel, artifact: Checkpoint, what: string): void {
  assignSavedWeights(expertVariables(model), artifact, what);
}
