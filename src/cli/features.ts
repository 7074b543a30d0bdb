import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { integerOption } from '../util/options.js';
import { decodeAudioFile } from '../data/audio/decode.js';
import { resample } from '../data/audio/resample.js';
import { computeFeatures } from '../data/features/compute.js';
import { parseFeatureConfig } from '../data/features/parse-config.js';
import { resolveFeatureConfig } from '../data/features/config.js';

interface FeaturesArgs {
  file: string;
  params: string;
  json: boolean;
  'sample-rate'?: number;
}

/**
 * `ablate features <file> --params '<json>' [--json]`: one feature matrix for one file,
 * to inspect a front end or compare it with torchaudio. The file is analysed at its own
 * rate unless --sample-rate asks for resampling first (torchaudio users pass the loaded
 * waveform as is, so that is the comparable default). No clip policy is applied: the
 * whole file is used.
 */
export const featuresCommand: CommandModule<object, FeaturesArgs> = {
  command: 'features <file>',
  describe: 'compute one feature matrix (bins x frames) for one audio file',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'a WAV, FLAC or MP3 file' })
      .option('params', { type: 'string', demandOption: true, describe: `feature config as JSON, e.g. '{"kind":"mel","nFft":512,"nMels":80}'` })
      .option('json', { type: 'boolean', default: false, describe: 'print {"shape":[bins,frames],"values":[[...],...]} and nothing else' })
      .option('sample-rate', integerOption('sample-rate', { min: 1000, max: 768_000, describe: "resample to this rate first (default: the file's own rate)" })) as never,
  handler: async (args) => {
    const config = parseFeatureConfig(args.params, '--params');
    const rate = args['sample-rate'];
    if (rate !== undefined && (!Number.isInteger(rate) || rate < 1)) throw new UserError(`--sample-rate must be a positive integer in Hz, got ${rate}.`);
    const audio = await decodeAudioFile(args.file);
    const sampleRate = rate ?? audio.sampleRate;
    const samples = sampleRate === audio.sampleRate ? audio.samples : await resample(audio.samples, audio.sampleRate, sampleRate);
    const features = computeFeatures(samples, sampleRate, config);
    const [bins, frames] = features.shape;
    if (args.json) {
      const values = Array.from({ length: bins }, (_, b) => Array.from(features.data.subarray(b * frames, (b + 1) * frames)));
      process.stdout.write(`${JSON.stringify({ shape: features.shape, values })}\n`);
      return;
    }
    const resolved = resolveFeatureConfig(config, sampleRate);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of features.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    const lines = [
      `file      ${args.file}: ${audio.channels} channel(s) at ${audio.sampleRate} Hz, ${(audio.samples.length / audio.sampleRate).toFixed(3)} s${sampleRate !== audio.sampleRate ? `, resampled to ${sampleRate} Hz` : ''}`,
      `features  ${resolved.kind}, ${bins} bins x ${frames} frames`,
      `config    ${JSON.stringify(resolved)}`,
      `values    min ${min.toFixed(4)}, max ${max.toFixed(4)}, mean ${(sum / features.data.length).toFixed(4)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
