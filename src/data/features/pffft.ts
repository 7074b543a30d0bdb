import type { PffftModule } from '@echogarden/pffft-wasm/simd';

/**
 * PFFFT (a SIMD FFT in C) compiled to WebAssembly, loaded once per thread. Its real
 * transform of 512 points is about three times as fast as fft.js here (0.4 vs 1.2 ms for
 * a 4 s clip's 401 frames), which took the log-mel front end from 0.56x to about 0.7x
 * torchaudio's speed (bench/features). It needs wasm SIMD (Node >= 16.4); where it fails
 * to load, `pffft` is null and the fft.js path is used.
 */
export const pffft: PffftModule | null = await loadPffft();

async function loadPffft(): Promise<PffftModule | null> {
  if (process.env['ABLATE_FFT'] === 'fftjs') return null;
  try {
    const { default: createModule } = await import('@echogarden/pffft-wasm/simd');
    return await createModule();
  } catch {
    return null;
  }
}

const REAL = 0;
const FORWARD = 0;

/**
 * A planned real forward transform of `n` points in wasm memory: write the frame into
 * `heap()` at `input`, call `transform()`, read the ordered spectrum at `output` (r0,
 * r(n/2), then re/im of bins 1..n/2-1). Take `heap()` afresh for each frame: wasm memory
 * may grow (another plan's allocation), which detaches views taken before.
 */
export class PffftRealPlan {
  private readonly setup: number;
  private readonly inputPointer: number;
  private readonly outputPointer: number;
  private readonly workPointer: number;

  private constructor(
    private readonly module: PffftModule,
    readonly n: number,
    setup: number,
  ) {
    this.setup = setup;
    this.inputPointer = module._pffft_aligned_malloc(4 * n);
    this.outputPointer = module._pffft_aligned_malloc(4 * n);
    this.workPointer = module._pffft_aligned_malloc(4 * n);
    // Plans live as long as the extractor cache that holds them (per feature config, per
    // thread: a handful of KiB), so their memory is never freed.
  }

  /** A plan, or null where PFFFT is not loaded or cannot do size `n` (a multiple of 32 of 2^a 3^b 5^c). */
  static create(n: number): PffftRealPlan | null {
    if (pffft === null || !PffftRealPlan.supports(n)) return null;
    const setup = pffft._pffft_new_setup(n, REAL);
    return setup === 0 ? null : new PffftRealPlan(pffft, n, setup);
  }

  /** Whether PFFFT is loaded and does real transforms of `n` points. */
  static supports(n: number): boolean {
    if (pffft === null || n <= 0 || n % 32 !== 0) return false;
    let rest = n / 32;
    for (const factor of [2, 3, 5]) while (rest % factor === 0) rest /= factor;
    return rest === 1;
  }

  /** Offsets (in floats) of the input frame and of the output spectrum in `heap()`. */
  get input(): number {
    return this.inputPointer >> 2;
  }

  get output(): number {
    return this.outputPointer >> 2;
  }

  /** The wasm memory as floats; fetch it again after anything that may allocate. */
  heap(): Float32Array {
    return this.module.HEAPF32;
  }

  transform(): void {
    this.module._pffft_transform_ordered(this.setup, this.inputPointer, this.outputPointer, this.workPointer, FORWARD);
  }
}
