/**
 * Classifiers a shortcut would use: a decision stump (one feature, one threshold) and a
 * logistic regression on standardised features. Both are scored by k-fold cross-validation
 * with deterministic folds, so the result is a function of the data alone.
 */
export interface Example {
  features: number[];
  /** 1 = spoof, 0 = bona fide. */
  label: 0 | 1;
}

export function crossValidatedAccuracy(examples: readonly Example[], fit: (train: readonly Example[]) => (x: number[]) => 0 | 1, folds = 5): number {
  let correct = 0;
  for (let fold = 0; fold < folds; fold++) {
    const train = examples.filter((_, i) => i % folds !== fold);
    const test = examples.filter((_, i) => i % folds === fold);
    const predict = fit(train);
    for (const example of test) if (predict(example.features) === example.label) correct++;
  }
  return correct / examples.length;
}

/** The best single-feature threshold (either direction) on the training data. */
export function fitStump(train: readonly Example[]): (x: number[]) => 0 | 1 {
  let best = { feature: 0, threshold: 0, above: 1 as 0 | 1, accuracy: -1 };
  const dims = train[0]?.features.length ?? 0;
  for (let feature = 0; feature < dims; feature++) {
    const values = [...new Set(train.map((e) => e.features[feature] as number))].sort((a, b) => a - b);
    for (let i = 0; i + 1 < values.length; i++) {
      const threshold = ((values[i] as number) + (values[i + 1] as number)) / 2;
      const hits = train.filter((e) => ((e.features[feature] as number) > threshold ? 1 : 0) === e.label).length / train.length;
      for (const [above, accuracy] of [
        [1, hits],
        [0, 1 - hits],
      ] as Array<[0 | 1, number]>) {
        if (accuracy > best.accuracy) best = { feature, threshold, above, accuracy };
      }
    }
  }
  return (x) => ((x[best.feature] as number) > best.threshold ? best.above : ((1 - best.above) as 0 | 1));
}

/** Logistic regression by full-batch gradient descent (small, well-conditioned problems). */
export function fitLogistic(train: readonly Example[]): (x: number[]) => 0 | 1 {
  const dims = train[0]?.features.length ?? 0;
  const mean = Array.from({ length: dims }, (_, d) => train.reduce((s, e) => s + (e.features[d] as number), 0) / train.length);
  const std = Array.from({ length: dims }, (_, d) => Math.sqrt(train.reduce((s, e) => s + ((e.features[d] as number) - (mean[d] as number)) ** 2, 0) / train.length) || 1);
  const scale = (x: number[]): number[] => x.map((v, d) => (v - (mean[d] as number)) / (std[d] as number));
  const xs = train.map((e) => scale(e.features));
  const w = new Array<number>(dims + 1).fill(0);
  for (let step = 0; step < 400; step++) {
    const grad = new Array<number>(dims + 1).fill(0);
    xs.forEach((x, i) => {
      const z = (w[dims] as number) + x.reduce((s, v, d) => s + v * (w[d] as number), 0);
      const error = 1 / (1 + Math.exp(-z)) - (train[i] as Example).label;
      x.forEach((v, d) => (grad[d] = (grad[d] as number) + error * v));
      grad[dims] = (grad[dims] as number) + error;
    });
    for (let d = 0; d <= dims; d++) w[d] = (w[d] as number) - (0.5 * (grad[d] as number)) / xs.length - 1e-3 * (d < dims ? (w[d] as number) : 0);
  }
  return (x) => {
    const s = scale(x);
    return (w[dims] as number) + s.reduce((acc, v, d) => acc + v * (w[d] as number), 0) > 0 ? 1 : 0;
  };
}
