export type ScheduleKind = 'cosine' | 'constant';

export interface ScheduleOptions {
  kind: ScheduleKind;
  /** Base learning rate. */
  lr: number;
  /** Floor of the cosine (PyTorch's eta_min). */
  etaMin: number;
  /** Cosine half-period in epochs (PyTorch's T_max). */
  tMax: number;
}

/**
 * Learning rate for a 0-based epoch: PyTorch's CosineAnnealingLR stepped once per epoch
 * (closed form, so a resumed job needs only the epoch number; past tMax the cosine rises
 * again, as PyTorch's does), or a constant.
 */
export function learningRateAt(epoch: number, options: ScheduleOptions): number {
  if (options.kind === 'constant') return options.lr;
  return options.etaMin + ((options.lr - options.etaMin) * (1 + Math.cos((Math.PI * epoch) / options.tMax))) / 2;
}
