/**
 * Issue 19 investigation: AUC of each known family's detector-free statistic on the d5/d6
 * variants written by synth-unknown-variants.ts (oriented the way the known family moves
 * it: 1 = spoofs on its side), so a variant's artefacts can be checked without a detector.
 *
 *   tsx scripts/synth-variant-stats.ts <variantsDir> <variant> ...
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { statistics } from '../src/data/synth/analysis.js';
import { rankAuc } from '../src/data/synth/stats.js';

const wav = createRequire(import.meta.url)('node-wav') as { decode(b: Buffer): { sampleRate: number; channelData: Float32Array[] } };
const known = [['highBandPeriodicity', 'lower'], ['cepstralPeak', 'higher'], ['mirrorCorrelation', 'higher'], ['highBandRatio', 'higher']] as const;
const [dir = '/tmp/variants', ...names] = process.argv.slice(2);
console.log(`| variant | domain | ${known.map(([s]) => s).join(' | ')} |`);
for (const name of names) {
  const rows = readFileSync(join(dir, name, 'manifest.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  for (const domain of ['d5', 'd6']) {
    const values = known.map(() => ({ bonafide: [] as number[], spoof: [] as number[] }));
    for (const [, path, label, d] of rows) {
      if (d !== domain) continue;
      const { sampleRate, channelData } = wav.decode(readFileSync(join(dir, name, path as string)));
      known.forEach(([s], i) => values[i]![label as 'bonafide' | 'spoof'].push(statistics[s](channelData[0]!, sampleRate)));
    }
    const aucs = known.map(([, side], i) => {
      const a = rankAuc(values[i]!.spoof, values[i]!.bonafide);
      return (side === 'higher' ? a : 1 - a).toFixed(2);
    });
    console.log(`| ${name} | ${domain} | ${aucs.join(' | ')} |`);
  }
}
