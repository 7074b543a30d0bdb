import * as tf from '@tensorflow/tfjs';
import { UserError } from '../util/errors.js';
import type { NamedArray } from './checkpoint.js';

/** A variable with the stable name checkpoints know it by. */
export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

export interface ModelVariables {
  /** Every weight of the models (trainable or not, e.g. batch-norm moving statistics). */
  variables: NamedVariable[];
  /** The trainable ones. */
  trainable: tf.Variable[];
}

/**
 * The variables of one or more tfjs-layers models, named by their scoped layer names
 * ("lcnn_conv1/kernel"). tfjs appends _1, _2... to the *variable* names of a second
 * model built in the same thread; the scoped names stay stable, so checkpoints use them.
 */
export function modelVariables(...models: tf.LayersModel[]): ModelVariables {
  const variables: NamedVariable[] = [];
  const trainable: tf.Variable[] = [];
  const seen = new Set<tf.Variable>();
  for (const model of models) {
    const trainableIds = new Set(model.trainableWeights.map((weight) => weight.id));
    for (const weight of model.weights) {
      const variable = weight.read() as tf.Variable;
      if (seen.has(variable)) continue;
      seen.add(variable);
      variables.push({ name: weight.originalName, variable });
      if (trainableIds.has(weight.id)) trainable.push(variable);
    }
  }
  return { variables, trainable };
}

/** Copies of the variables' current values. */
export function readArrays(variables: NamedVariable[], group: string): NamedArray[] {
  return variables.map(({ name, variable }) => ({ group, name, shape: [...variable.shape], values: (variable.dataSync() as Float32Array).slice() }));
}

/** Assign saved values to variables by name; every variable must be found with its shape. */
export function assignArrays(variables: NamedVariable[], arrays: NamedArray[], source: string): void {
  const byName = new Map(arrays.map((array) => [array.name, array]));
  for (const { name, variable } of variables) {
    const array = byName.get(name);
    if (array === undefined) throw new UserError(`${source} has no value for ${name}: it was saved from another model. Delete it to restart the job.`);
    if (array.shape.join('x') !== variable.shape.join('x')) {
      throw new UserError(`${source} holds ${name} as [${array.shape.join(', ')}] but the model has [${variable.shape.join(', ')}]. Delete it to restart the job.`);
    }
  }
  tf.tidy(() => {
    for (const { name, variable } of variables) variable.assign(tf.tensor((byName.get(name) as NamedArray).values, variable.shape));
  });
}
