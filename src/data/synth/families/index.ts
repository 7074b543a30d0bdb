import { bandReplication } from './band-replication.js';
import { residuePhase, smoothedImages } from './combined.js';
import type { SpoofFamily } from './family.js';
import { noiseResidue } from './noise-residue.js';
import { oversmoothed } from './oversmoothed.js';
import { partialResiduePhase, partialSmoothedImages } from './partial.js';
import { phaseReconstruction } from './phase-reconstruction.js';
import { splicing } from './splicing.js';
import { upsamplingImages } from './upsampling.js';

export type { FamilyInput, SpoofFamily } from './family.js';
export type { CombinedFamily } from './combined.js';

export const families: readonly SpoofFamily[] = [phaseReconstruction, oversmoothed, upsamplingImages, noiseResidue, bandReplication, splicing, residuePhase, smoothedImages, partialResiduePhase, partialSmoothedImages];

export function familyNamed(name: string): SpoofFamily {
  const family = families.find((f) => f.name === name);
  if (family === undefined) throw new Error(`unknown spoof family ${name}`);
  return family;
}
