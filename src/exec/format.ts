import type { RunningJobView } from './reporter.js';

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `epoch 3/6 loss 0.412` or what the job last said about itself. */
export function formatProgress(view: RunningJobView): string {
  const p = view.progress;
  if (!p) return 'starting';
  const parts = [p.stage];
  if (p.epoch !== undefined) parts.push(`epoch ${p.epoch}${p.epochs !== undefined ? `/${p.epochs}` : ''}`);
  if (p.step !== undefined && p.steps !== undefined) parts.push(`${p.step}/${p.steps}`);
  if (p.loss !== undefined && Number.isFinite(p.loss)) parts.push(`loss ${p.loss.toFixed(3)}`);
  if (p.message) parts.push(p.message);
  return parts.join(' ');
}
