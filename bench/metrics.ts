/**
 * Metrics benchmark: `npx tsx bench/metrics.ts [n]` (default n = 1 000 000 scores).
 * Prints wall times (median of several runs after a warm-up) and memory figures; the goal
 * from issue 6 is EER + AUC on 1 000 000 scores in under a second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bootstrapInterval,
  detectionMetrics,
  eerAndAuc,
  joinScoresAndKeys,
  pairedBootstrapTest,
  readKeyFile,
  readScoreFile,
  writeAsvspoof5Keys,
  writeAsvspoof5Scores,
} from '../src/metrics/index.js';
import { Rng } from '../src/util/rng.js';

const n = Number(process.argv[2] ?? 1_000_000);

function synthetic(count: number, seed: number): { scores: Float64Array; labels: Uint8Array } {
  const rng = new Rng(seed);
  const scores = new Float64Array(count);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 4 === 0 ? 1 : 0;
    // Round to 4 decimals so the set has ties, as real model outputs often do.
    scores[i] = Math.round((rng.normal() + (labels[i] ? 2 : 0)) * 1e4) / 1e4;
  }
  return { scores, labels };
}

function time<T>(label: string, runs: number, run: () => T): T {
  let result = run(); // warm-up (JIT)
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    result = run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  console.log(`${label.padEnd(52)} median ${median.toFixed(1).padStart(8)} ms   (min ${times[0]!.toFixed(1)}, max ${times.at(-1)!.toFixed(1)}, ${runs} runs)`);
  return result;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

console.log(`node ${process.version}, ${n} scores (1/4 bona fide), scores rounded to 1e-4 (ties)`);
const { scores, labels } = synthetic(n, 1);
const before = process.memoryUsage();
const fast = time(`eerAndAuc (one sort)                 n=${n}`, 7, () => eerAndAuc(scores, labels));
console.log(`  -> EER ${(100 * fast.eer).toFixed(3)} %, AUC ${fast.auc.toFixed(6)}`);
const full = time(`detectionMetrics (EER AUC DCFs Cllr)  n=${n}`, 5, () => detectionMetrics(scores, labels));
console.log(`  -> minDCF ${full.minDcf.toFixed(4)}, actDCF ${full.actDcf.toFixed(4)}, Cllr ${full.cllr.toFixed(4)}`);
const after = process.memoryUsage();
console.log(`memory: rss ${mib(after.rss)} (+${mib(after.rss - before.rss)}), heap used ${mib(after.heapUsed)}, array buffers ${mib(after.arrayBuffers)}`);

const small = synthetic(10_000, 2);
time('bootstrapInterval EER, 1000 replicates      n=10000', 3, () => bootstrapInterval(small.scores, small.labels, 'eer', { iterations: 1000, seed: 1 }));
time('bootstrapInterval AUC, 1000 replicates      n=10000', 3, () => bootstrapInterval(small.scores, small.labels, 'auc', { iterations: 1000, seed: 1 }));
const other = Float64Array.from(small.scores, (s, i) => s + ((i * 7919) % 13) / 100);
time('pairedBootstrapTest EER, 1000 replicates    n=10000', 3, () => pairedBootstrapTest(other, small.scores, small.labels, { iterations: 1000, seed: 1 }));

const dir = mkdtempSync(join(tmpdir(), 'ablate-bench-'));
try {
  const ids = Array.from({ length: n }, (_, i) => `E_${String(i).padStart(10, '0')}`);
  await writeAsvspoof5Scores(join(dir, 'scores.tsv'), ids.map((id, i) => ({ id, score: scores[i] as number })));
  await writeAsvspoof5Keys(join(dir, 'keys.tsv'), ids.map((id, i) => ({ id, isBonafide: labels[i] === 1 })));
  time(`read + join ASVspoof 5 TSV files       n=${n}`, 3, () => joinScoresAndKeys(readScoreFile(join(dir, 'scores.tsv')), readKeyFile(join(dir, 'keys.tsv'))));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
