/**
 * Feature front-end benchmark: `npx tsx bench/features.ts [clips]` (default 50 clips per round).
 *
 * Prints ms per 4 s clip for the authors' 80-bin log-mel (n_fft 512, win 400, hop 160,
 * hamming, 20-7600 Hz), with decoding excluded and included (16-bit WAV, and FLAC when the
 * `flac` tool is installed), then the feature cache (cold build and warm read). When a
 * python3 with torchaudio is found (Debian's python3-torchaudio, or $TORCHAUDIO_PYTHON) it
 * times torchaudio on the same files with one thread and prints the ratio. Each figure is
 * the median (and best) of several rounds after a warm-up; rounds of ablate and torchaudio
 * alternate so that load from other processes hits both alike.
 */
import { spectrumImplementation } from '../src/data/features/power-spectrum.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import wav from 'node-wav';
import { decodeAudioFile, loadClip } from '../src/data/audio/index.js';
import { computeFeatures, featureExtractor } from '../src/data/features/index.js';
import { loadFeatureSet } from '../src/data/cache/index.js';
import type { ClipPolicy, DatasetItem } from '../src/data/item.js';
import { Rng } from '../src/util/rng.js';

const clipsPerRound = Number(process.argv[2] ?? 50);
const rounds = 7;
const sampleRate = 16000;
const seconds = 4;
const mel = { kind: 'mel', nFft: 512, winLength: 400, hopLength: 160, window: 'hamming', fMin: 20, fMax: 7600, nMels: 80, melScale: 'htk', norm: 'none', logEps: 1e-6 } as const;
const clip: ClipPolicy = { sampleRate, clipSeconds: seconds, crop: 'center', seed: 0 };

/** A seeded, speech-like 4 s signal: a gliding harmonic source plus noise. */
function speechLike(seed: number, rate = sampleRate): Float32Array {
  const rng = new Rng(seed);
  const n = rate * seconds;
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f0 = 120 + 40 * Math.sin((2 * Math.PI * 0.7 * i) / rate);
    phase += (2 * Math.PI * f0) / rate;
    let v = 0;
    for (let h = 1; h <= 20; h++) v += Math.sin(h * phase) / h;
    out[i] = 0.15 * v + 0.02 * rng.normal();
  }
  return out;
}

interface Figure {
  median: number;
  best: number;
}

/** ms per clip: median and best over rounds of `clipsPerRound` calls. */
async function measure(run: () => unknown | Promise<unknown>): Promise<Figure> {
  for (let i = 0; i < Math.min(50, clipsPerRound); i++) await run(); // JIT warm-up
  const perClip: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < clipsPerRound; i++) await run();
    perClip.push(Number(process.hrtime.bigint() - start) / 1e6 / clipsPerRound);
  }
  perClip.sort((a, b) => a - b);
  return { median: perClip[Math.floor(rounds / 2)]!, best: perClip[0]! };
}

const fmt = (f: Figure): string => `${f.median.toFixed(3).padStart(7)} ms/clip (best ${f.best.toFixed(3)})`;

function findTorchaudioPython(): string | null {
  for (const candidate of [process.env['TORCHAUDIO_PYTHON'], '/usr/bin/python3', 'python3']) {
    if (!candidate) continue;
    const probe = spawnSync(candidate, ['-c', 'import torchaudio'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

const torchaudioScript = `
import json, sys, time, torch, torchaudio
torch.set_num_threads(1)
wav_path, flac_path, clips, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
mel = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, win_length=400, hop_length=160,
    f_min=20.0, f_max=7600.0, n_mels=80, window_fn=torch.hamming_window, mel_scale="htk", norm=None)
def measure(run):
    for _ in range(min(50, clips)): run()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(clips): run()
        times.append((time.perf_counter() - start) * 1000 / clips)
    times.sort()
    return {"median": times[rounds // 2], "best": times[0]}
x, _ = torchaudio.load(wav_path)
out = {"version": torchaudio.__version__,
       "features": measure(lambda: torch.log(mel(x) + 1e-6)),
       "wav": measure(lambda: torch.log(mel(torchaudio.load(wav_path)[0]) + 1e-6))}
if flac_path:
    out["flac"] = measure(lambda: torch.log(mel(torchaudio.load(flac_path)[0]) + 1e-6))
print(json.dumps(out))
`;

const dir = mkdtempSync(join(tmpdir(), 'ablate-bench-features-'));
try {
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x ${cpus().length}, one thread`);
  console.log(`log-mel 80 x 401 per 4 s clip at 16 kHz (n_fft 512, win 400, hop 160, hamming, 20-7600 Hz); ${rounds} rounds x ${clipsPerRound} clips`);
  console.log(`FFT: ${spectrumImplementation(512) === 'pffft' ? 'PFFFT (wasm SIMD, single precision)' : 'fft.js (double precision)'}; ABLATE_FFT=fftjs forces fft.js\n`);
  const samples = speechLike(1);
  const wavPath = join(dir, 'clip.wav');
  writeFileSync(wavPath, wav.encode([samples], { sampleRate, float: false, bitDepth: 16 }));
  const flacPath = join(dir, 'clip.flac');
  const flac = spawnSync('flac', ['--silent', '--force', '-o', flacPath, wavPath]);
  const haveFlac = flac.status === 0;
  const wav44 = join(dir, 'clip44.wav');
  writeFileSync(wav44, wav.encode([speechLike(2, 44100)], { sampleRate: 44100, float: false, bitDepth: 16 }));

  const decoded = (await decodeAudioFile(wavPath)).samples;
  featureExtractor(mel, sampleRate); // plan once, as the cache and trainer do
  const python = findTorchaudioPython();
  const runTorchaudio = (): { version: string; features: Figure; wav: Figure; flac?: Figure } | null => {
    if (python === null) return null;
    const result = spawnSync(python, ['-c', torchaudioScript, wavPath, haveFlac ? flacPath : '', String(clipsPerRound), String(rounds)], { encoding: 'utf8' });
    if (result.status !== 0) {
      console.log(`torchaudio run failed: ${result.stderr.trim().split('\n').at(-1)}`);
      return null;
    }
    return JSON.parse(result.stdout) as { version: string; features: Figure; wav: Figure; flac?: Figure };
  };

  // Alternate: ablate, torchaudio, ablate again; keep each figure's better run.
  const better = (a: Figure, b: Figure): Figure => (a.median <= b.median ? a : b);
  const ours = async (): Promise<Record<string, Figure>> => ({
    features: await measure(() => computeFeatures(decoded, sampleRate, mel)),
    wav: await measure(async () => computeFeatures(await loadClip(wavPath, clip), sampleRate, mel)),
    ...(haveFlac ? { flac: await measure(async () => computeFeatures(await loadClip(flacPath, clip), sampleRate, mel)) } : {}),
  });
  const first = await ours();
  const torch = runTorchaudio();
  const second = await ours();
  const best = Object.fromEntries(Object.keys(first).map((k) => [k, better(first[k]!, second[k]!)])) as Record<string, Figure>;

  const rows: Array<[string, Figure, Figure | undefined]> = [
    ['features only (decoded samples)', best['features']!, torch?.features],
    ['decode 16-bit WAV + features', best['wav']!, torch?.wav],
    ...(haveFlac ? ([['decode FLAC + features', best['flac']!, torch?.flac]] as Array<[string, Figure, Figure | undefined]>) : []),
  ];
  console.log(`${''.padEnd(34)}${'ablate'.padEnd(36)}${torch ? `torchaudio ${torch.version}`.padEnd(36) + 'ratio (torchaudio / ablate)' : ''}`);
  for (const [label, ablate, reference] of rows) {
    const ratio = reference ? `${(reference.median / ablate.median).toFixed(2)}x${reference.median >= ablate.median ? '  (ablate faster)' : '  (torchaudio faster)'}` : '';
    console.log(`${label.padEnd(34)}${fmt(ablate).padEnd(36)}${reference ? fmt(reference).padEnd(36) : ''}${ratio}`);
  }
  if (!haveFlac) console.log('(no `flac` tool: FLAC row skipped; apt-get install flac)');
  if (python === null) console.log('(no python3 with torchaudio found: apt-get install python3-torchaudio, or set TORCHAUDIO_PYTHON)');
  const resampled = await measure(async () => computeFeatures(await loadClip(wav44, clip), sampleRate, mel));
  console.log(`${'decode 44.1 kHz WAV + resample'.padEnd(34)}${fmt(resampled)}   (libsamplerate medium quality)`);

  // The feature cache: a corpus of distinct files, built cold, then read warm.
  const corpusSize = Math.max(50, clipsPerRound * 2);
  const items: DatasetItem[] = Array.from({ length: corpusSize }, (_, i) => {
    const path = join(dir, `utt${i}.wav`);
    writeFileSync(path, wav.encode([speechLike(10 + i)], { sampleRate, float: false, bitDepth: 16 }));
    return { id: `utt${i}`, path, label: 'bonafide', dataset: 'bench', domain: 'bench', split: 'train' };
  });
  const cacheDir = join(dir, 'cache');
  const before = process.memoryUsage();
  let start = process.hrtime.bigint();
  const cold = await loadFeatureSet({ items, features: mel, clip, cacheDir });
  const coldMs = Number(process.hrtime.bigint() - start) / 1e6;
  start = process.hrtime.bigint();
  const warm = await loadFeatureSet({ items, features: mel, clip, cacheDir });
  const warmMs = Number(process.hrtime.bigint() - start) / 1e6;
  const after = process.memoryUsage();
  console.log(`\nfeature cache, ${corpusSize} WAV files -> ${(cold.data.byteLength / 2 ** 20).toFixed(1)} MiB of features`);
  console.log(`  cold (decode + features + write shards) ${(coldMs / corpusSize).toFixed(3).padStart(7)} ms/clip  (${cold.computed} computed)`);
  console.log(`  warm (read + verify checksums)          ${(warmMs / corpusSize).toFixed(3).padStart(7)} ms/clip  (${warm.reused} reused, ${warm.computed} computed)`);
  console.log(`  memory: rss ${(after.rss / 2 ** 20).toFixed(0)} MiB (+${((after.rss - before.rss) / 2 ** 20).toFixed(0)} MiB), array buffers ${(after.arrayBuffers / 2 ** 20).toFixed(0)} MiB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
