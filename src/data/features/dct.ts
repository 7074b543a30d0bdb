/**
 * torchaudio.functional.create_dct(nCoefficients, nInputs, norm='ortho'), stored as
 * rows: coefficient k = sum_n matrix[k * nInputs + n] * input[n] (DCT-II, orthonormal).
 */
export function orthoDct(nCoefficients: number, nInputs: number): Float64Array {
  const matrix = new Float64Array(nCoefficients * nInputs);
  const scale = Math.sqrt(2 / nInputs);
  for (let k = 0; k < nCoefficients; k++) {
    const rowScale = k === 0 ? scale / Math.SQRT2 : scale;
    for (let n = 0; n < nInputs; n++) matrix[k * nInputs + n] = Math.cos((Math.PI / nInputs) * (n + 0.5) * k) * rowScale;
  }
  return matrix;
}

export function applyDct(matrix: Float64Array, nCoefficients: number, input: Float64Array, nInputs: number, out: Float64Array): void {
  for (let k = 0; k < nCoefficients; k++) {
    let sum = 0;
    const row = k * nInputs;
    for (let n = 0; n < nInputs; n++) sum += matrix[row + n]! * input[n]!;
    out[k] = sum;
  }
}
