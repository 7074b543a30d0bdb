import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { createHash } from 'node:crypto';

/**
 * Derive a 32-bit seed from a parent seed and any labels (job key, purpose, epoch),
 * so every random stream in ablate is a pure function of the trial seed and where it is used.
 */
export function deriveSeed(...parts: Array<string | number>): number {
  const digest = createHash('sha256').update(parts.map(String).join('\u0000')).digest();
  return digest.readUInt32LE(0);
}

/**
 * A seeded random stream whose state can be saved in a checkpoint and restored, so a
 * resumed job draws exactly the numbers an uninterrupted one would have.
 */
export class Rng {
  private generator: JumpableRandomGenerator;
  private spareNormal: number | null = null;

  constructor(seed: number | Rng['state']) {
    this.generator =
      // Seeds are hashed first: xoroshiro128plus seeded with a small integer starts with
      // near-constant outputs.
      typeof seed === 'number' ? xoroshiro128plus(deriveSeed('rng', seed) | 0) : xoroshiro128plusFromState(seed.generator);
    if (typeof seed !== 'number') this.spareNormal = seed.spareNormal;
  }

  static fromLabels(...parts: Array<string | number>): Rng {
    return new Rng(deriveSeed(...parts));
  }

  get state(): { generator: number[]; spareNormal: number | null } {
    return { generator: [...this.generator.getState()], spareNormal: this.spareNormal };
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform in [low, high). */
  between(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** Integer in [low, high] inclusive. */
  intBetween(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== null) {
      const value = this.spareNormal;
      this.spareNormal = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** An independent child stream for a sub-task, without disturbing this one. */
  fork(label: string | number): Rng {
    return new Rng(deriveSeed(...this.generator.getState(), 'fork', label));
  }
}
