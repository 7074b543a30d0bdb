/**
 * A periodic window (torch.hann_window / torch.hamming_window with periodic=True) of
 * `winLength` samples, zero-padded on both sides to `nFft` as torch.stft does.
 */
export function paddedWindow(kind: 'hann' | 'hamming', winLength: number, nFft: number): Float64Array {
  const window = new Float64Array(nFft);
  const left = Math.floor((nFft - winLength) / 2);
  const [a, b] = kind === 'hann' ? [0.5, 0.5] : [0.54, 0.46];
  for (let n = 0; n < winLength; n++) window[left + n] = a - b * Math.cos((2 * Math.PI * n) / winLength);
  return window;
}
