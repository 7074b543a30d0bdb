/**
 * L2-regularised logistic regression by Newton's method (iteratively reweighted least
 * squares), for the shortcut probe's handful of standardised features. Written here
 * because no dependency has one (simple-statistics stops at linear regression; TensorFlow.js
 * would need a backend and gradient steps for a 5-parameter convex problem). Newton from
 * zero weights is deterministic: the probe makes no random choice, so its seed only names it.
 */
export interface LogisticModel {
  /** Weights per feature, then the bias. */
  weights: number[];
  /** Feature means and standard deviations of the training data (the standardisation). */
  mean: number[];
  scale: number[];
  iterations: number;
}

export interface LogisticOptions {
  /** L2 penalty on the weights (not the bias), per item: the loss is mean NLL + l2/2 |w|^2. */
  l2?: number;
  maxIterations?: number;
}

export function fitLogistic(x: readonly number[][], y: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  const l2 = options.l2 ?? 1e-3;
  const maxIterations = options.maxIterations ?? 100;
  const n = x.length;
  if (n === 0) throw new Error('logistic regression needs at least one training item');
  const d = (x[0] as number[]).length;
  const { mean, scale } = standardisation(x, d);
  const z = x.map((row) => standardise(row, mean, scale));
  const p = d + 1;
  let w = new Array<number>(p).fill(0);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const gradient = new Array<number>(p).fill(0);
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      const row = [...(z[i] as number[]), 1];
      const prob = sigmoid(dot(w, row));
      const residual = prob - (y[i] as number);
      const curvature = Math.max(prob * (1 - prob), 1e-12);
      for (let a = 0; a < p; a++) {
        gradient[a] = (gradient[a] as number) + (residual * (row[a] as number)) / n;
        const ha = hessian[a] as number[];
        for (let b = 0; b < p; b++) ha[b] = (ha[b] as number) + (curvature * (row[a] as number) * (row[b] as number)) / n;
      }
    }
    for (let a = 0; a < d; a++) {
      gradient[a] = (gradient[a] as number) + l2 * (w[a] as number);
      (hessian[a] as number[])[a] = ((hessian[a] as number[])[a] as number) + l2;
    }
    // A tiny ridge on the bias too keeps the system solvable when one class is absent.
    (hessian[d] as number[])[d] = ((hessian[d] as number[])[d] as number) + 1e-9;
    const step = solve(hessian, gradient);
    w = w.map((v, a) => v - (step[a] as number));
    if (Math.max(...step.map(Math.abs)) < 1e-10) {
      iterations++;
      break;
    }
  }
  return { weights: w, mean, scale, iterations };
}

/** The log-odds of class 1 for one item (its score). */
export function logisticScore(model: LogisticModel, features: readonly number[]): number {
  return dot(model.weights, [...standardise(features, model.mean, model.scale), 1]);
}

function standardisation(x: readonly number[][], d: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(d).fill(0);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (row[j] as number) / x.length;
  const scale = new Array<number>(d).fill(0);
  for (const row of x) for (let j = 0; j < d; j++) scale[j] = (scale[j] as number) + ((row[j] as number) - (mean[j] as number)) ** 2 / x.length;
  // A constant feature (every clip the same length) is centred and left unscaled.
  return { mean, scale: scale.map((v) => (v > 0 ? Math.sqrt(v) : 1)) };
}

function standardise(row: readonly number[], mean: number[], scale: number[]): number[] {
  return row.map((v, j) => (v - (mean[j] as number)) / (scale[j] as number));
}

function sigmoid(t: number): number {
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Gaussian elimination with partial pivoting on a small symmetric positive definite system. */
function solve(matrix: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  const m = matrix.map((row, i) => [...row, rhs[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const top = m[col] as number[];
    for (let r = col + 1; r < n; r++) {
      const row = m[r] as number[];
      const factor = (row[col] as number) / (top[col] as number);
      for (let c = col; c <= n; c++) row[c] = (row[c] as number) - factor * (top[c] as number);
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let s = row[n] as number;
    for (let c = r + 1; c < n; c++) s -= (row[c] as number) * (out[c] as number);
    out[r] = s / (row[r] as number);
  }
  return out;
}
