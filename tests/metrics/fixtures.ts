import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'metrics');

export interface ReferenceValues {
  eer: number;
  eer_threshold: number;
  auc: number;
  min_dcf: number;
  min_dcf_threshold: number;
  act_dcf: number;
  act_dcf_threshold: number;
  cllr: number;
  n_bonafide: number;
  n_spoof: number;
  at_threshold?: { threshold: number; tpr: number; tnr: number; balanced_accuracy: number };
  source_averaged?: { value: number; pristine: number; generated: number };
}

export interface ReferenceCase extends ReferenceValues {
  name: string;
  bonafide: number[];
  spoof: number[];
  bonafide_sources?: string[];
  spoof_sources?: string[];
}

export interface ReferenceFileSet {
  scores: string;
  keys: string[];
  threshold?: number;
  expected: ReferenceValues;
  expected_eval_subset?: ReferenceValues;
}

export interface GoldenCase {
  bonafide: number[];
  spoof: number[];
  eer: number;
  eer_threshold: number;
  auc: number;
}

export function loadGolden(): GoldenCase[] {
  return (JSON.parse(readFileSync(join(fixturesDir, 'golden-metrics.json'), 'utf8')) as { cases: GoldenCase[] }).cases;
}

export function loadReference(): { cases: ReferenceCase[]; files: Record<string, ReferenceFileSet> } {
  return JSON.parse(readFileSync(join(fixturesDir, 'reference.json'), 'utf8')) as { cases: ReferenceCase[]; files: Record<string, ReferenceFileSet> };
}

/** Pool a case's classes into one score array with labels (bona fide first). */
export function pooled(c: { bonafide: number[]; spoof: number[] }): { scores: Float64Array; labels: Uint8Array } {
  const scores = Float64Array.from([...c.bonafide, ...c.spoof]);
  const labels = Uint8Array.from(scores, (_, i) => (i < c.bonafide.length ? 1 : 0));
  return { scores, labels };
}
