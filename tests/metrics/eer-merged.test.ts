import { describe, expect, it } from 'vitest';
import { NAMED_METRICS } from '../../src/metrics/index.js';
import { eerOfSorted } from '../../src/metrics/eer-merged.js';
import { Rng } from '../../src/util/rng.js';

describe('eerOfSorted', () => {
  it('is bit-identical to the ASVspoof-exact EER on sorted classes, ties and tiny classes included', () => {
    const rng = Rng.fromLabels('test.eer-merged', 0);
    for (let trial = 0; trial < 500; trial++) {
      const nb = 1 + rng.int(30);
      const ns = 1 + rng.int(30);
      // Scores on a coarse grid so ties between and within classes are common.
      const draw = (n: number, shift: number) => Float64Array.from({ length: n }, () => Math.round((rng.uniform() + shift) * 8) / 8).sort();
      const sorted = { bonafide: draw(nb, 0.3 * rng.uniform()), spoof: draw(ns, 0) };
      expect(eerOfSorted(sorted)).toBe(NAMED_METRICS.eer(sorted));
    }
  });
});
