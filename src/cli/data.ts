import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { integerOption, numberOption } from '../util/options.js';
import { listAdapters, loadDataset, summarise } from '../data/datasets/index.js';
import { corpusStatistics, defaultSynthRoot, ensureSynthCorpus, formatStatisticsTable, resolveSizes, SYNTH_VERSION, SYNTH_VERSIONS, type SynthSizes } from '../data/synth/index.js';

interface SynthArgs {
  results: string;
  out?: string;
  seed: number;
  corpusVersion: number;
  trainPerClass?: number;
  devPerClass?: number;
  evalPerClass?: number;
  unknownEvalPerClass?: number;
  clipSeconds?: number;
  sampleRate?: number;
  force: boolean;
  stats: boolean;
}

interface ListArgs {
  results: string;
  adapter: string;
  root?: string;
  name?: string;
  option?: string[];
}

/** `ablate data synth`: generate (or find) the embedded corpus and say where and what it is. */
const synthCommand: CommandModule<object, SynthArgs> = {
  command: 'synth',
  describe: 'generate the embedded synthetic corpus (no downloads); a sweep naming adapter "synth" does this on first use',
  builder: (y) =>
    y
      .option('out', { type: 'string', describe: 'folder to write (default: <results>/corpus/synth-v<version>-s<seed>)' })
      .option('seed', integerOption('seed', { min: 0, max: 2 ** 32 - 1, default: 0, describe: 'corpus seed' }))
      .option('corpus-version', integerOption('corpus-version', { min: 1, max: Math.max(...SYNTH_VERSIONS), default: SYNTH_VERSION, describe: `generator version (${SYNTH_VERSIONS.join(', ')}); older ones reproduce older corpora` }))
      .option('train-per-class', integerOption('train-per-class', { min: 0, max: 5000, describe: 'training clips per class and known domain' }))
      .option('dev-per-class', integerOption('dev-per-class', { min: 0, max: 5000, describe: 'validation clips per class and known domain' }))
      .option('eval-per-class', integerOption('eval-per-class', { min: 1, max: 5000, describe: 'test clips per class and domain' }))
      .option('unknown-eval-per-class', integerOption('unknown-eval-per-class', { min: 1, max: 5000, describe: 'test clips per class in each unknown domain (default: --eval-per-class)' }))
      .option('clip-seconds', numberOption('clip-seconds', { min: 0.25, max: 10, describe: 'mean clip length in seconds' }))
      .option('sample-rate', integerOption('sample-rate', { min: 8000, max: 48000, describe: 'sample rate in Hz (8000, 16000, 22050, 24000, 32000, 44100 or 48000)' }))
      .option('force', { type: 'boolean', default: false, describe: 'regenerate even if the folder already holds this corpus' })
      .option('stats', { type: 'boolean', default: false, describe: 'read the corpus back and print per-domain statistics' }) as never,
  handler: async (args) => {
    if (!Number.isInteger(args.seed) || args.seed < 0) throw new UserError(`--seed must be a non-negative integer (got ${args.seed}).`);
    const version = args.corpusVersion;
    if (!SYNTH_VERSIONS.includes(version)) throw new UserError(`--corpus-version must be one of ${SYNTH_VERSIONS.join(', ')} (got ${version}).`);
    const overrides = sizeOverrides(args);
    const root = resolve(args.out ?? defaultSynthRoot(args.results, args.seed, overrides, version));
    const sizes = resolveSizes(overrides, version);
    const progress = process.stderr.isTTY ? (done: number, total: number) => process.stderr.write(`\r${done}/${total} clips`) : undefined;
    const result = ensureSynthCorpus({ root, seed: args.seed, version, sizes, force: args.force, ...(progress ? { onProgress: progress } : {}) });
    if (progress) process.stderr.write('\n');
    const d = result.description;
    const lines = [
      result.generated
        ? `wrote ${d.items} clips (${(d.bytes / 1e6).toFixed(1)} MB) to ${root} in ${result.seconds.toFixed(1)} s`
        : `${root} already holds this corpus (${d.items} clips); --force regenerates it`,
      `seed ${d.seed}, generator v${d.version}, ${d.sizes.clipSeconds} s clips at ${d.sizes.sampleRate} Hz, content hash ${d.contentHash.slice(0, 16)}`,
      '',
      'domain  known    family                    train b/s   dev b/s   eval b/s',
      ...d.domains.map(
        (domain) =>
          `${domain.name.padEnd(7)} ${(domain.known ? 'known' : 'unknown').padEnd(8)} ${domain.family.padEnd(25)} ${pair(domain.counts.train)}   ${pair(domain.counts.dev)}   ${pair(domain.counts.eval)}`,
      ),
    ];
    if (d.limitedItems > 0) lines.push('', `${d.limitedItems} clips were limited to a 0.98 peak below their loudness target.`);
    process.stdout.write(lines.join('\n') + '\n');
    if (args.stats) {
      const items = await loadDataset({ name: 'synth', adapter: 'csv', root }, { resultsDir: args.results });
      const table = await corpusStatistics(root, d, items, { transfer: true });
      const rows = ['', ...formatStatisticsTable(table)];
      process.stdout.write(rows.join('\n') + '\n');
    }
  },
};

function pair(counts: { bonafide: number; spoof: number }): string {
  return `${counts.bonafide}/${counts.spoof}`.padStart(9);
}

function sizeOverrides(args: SynthArgs): Partial<SynthSizes> {
  const overrides: Partial<SynthSizes> = {};
  const checks: Array<[keyof SynthSizes, number | undefined, string, (v: number) => boolean, string]> = [
    ['trainPerClass', args.trainPerClass, '--train-per-class', (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer'],
    ['devPerClass', args.devPerClass, '--dev-per-class', (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer'],
    ['evalPerClass', args.evalPerClass, '--eval-per-class', (v) => Number.isInteger(v) && v >= 1, 'a positive integer'],
    ['unknownEvalPerClass', args.unknownEvalPerClass, '--unknown-eval-per-class', (v) => Number.isInteger(v) && v >= 1, 'a positive integer'],
    ['clipSeconds', args.clipSeconds, '--clip-seconds', (v) => v >= 0.25 && v <= 10, 'between 0.25 and 10'],
    ['sampleRate', args.sampleRate, '--sample-rate', (v) => [8000, 16000, 22050, 24000, 32000, 44100, 48000].includes(v), 'one of 8000, 16000, 22050, 24000, 32000, 44100, 48000'],
  ];
  for (const [key, value, flag, valid, expected] of checks) {
    if (value === undefined) continue;
    if (!valid(value)) throw new UserError(`${flag} must be ${expected} (got ${value}).`);
    overrides[key] = value;
  }
  return overrides;
}

/** `ablate data list <adapter> [root]`: read a dataset and count its items. */
const listCommand: CommandModule<object, ListArgs> = {
  command: 'list <adapter> [root]',
  describe: 'read a dataset with an adapter and print its items per domain, split and label',
  builder: (y) =>
    y
      .positional('adapter', { type: 'string', demandOption: true, describe: 'adapter name (ablate data adapters lists them)' })
      .positional('root', { type: 'string', describe: 'dataset folder (or manifest file for csv)' })
      .option('name', { type: 'string', describe: 'dataset name (default: the adapter name)' })
      .option('option', { type: 'string', array: true, describe: 'adapter option as key=value (value parsed as JSON when it can be), repeatable' }) as never,
  handler: async (args) => {
    const options = parseOptions(args.option ?? []);
    const name = args.name ?? args.adapter;
    const items = await loadDataset({ name, adapter: args.adapter, ...(args.root === undefined ? {} : { root: args.root }), options }, { resultsDir: args.results });
    const rows = summarise(items);
    const lines = [`${items.length} items in dataset "${name}" (${args.adapter})`, '', 'domain          split   bonafide    spoof'];
    for (const row of rows) lines.push(`${row.domain.padEnd(15)} ${row.split.padEnd(6)} ${String(row.bonafide).padStart(9)} ${String(row.spoof).padStart(8)}`);
    process.stdout.write(lines.join('\n') + '\n');
  },
};

function parseOptions(pairs: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UserError(`--option ${JSON.stringify(pair)}: expected key=value, e.g. --option version=norm or --option 'fractions=[0.8,0.1,0.1]'.`);
    const raw = pair.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: keep the plain string (version=norm).
    }
    options[pair.slice(0, at)] = value;
  }
  return options;
}

/** `ablate data adapters`: every layout ablate reads, and how its subsets become splits. */
const adaptersCommand: CommandModule<object, object> = {
  command: 'adapters',
  describe: 'list the dataset adapters with their layouts, split mapping and options',
  handler: () => {
    const lines: string[] = [];
    for (const adapter of listAdapters()) {
      lines.push(`${adapter.name}`, `  layout:  ${adapter.layout}`, `  splits:  ${adapter.splits}`, `  options: ${Object.keys(adapter.optionsSchema.properties).join(', ')}`, '');
    }
    process.stdout.write(lines.join('\n'));
  },
};

/** `ablate data <command>`: datasets and the embedded corpus. */
export const dataCommand: CommandModule<object, object> = {
  command: 'data <command>',
  describe: 'datasets: generate the embedded corpus, list adapters, count a dataset\'s items',
  builder: (y: Argv<object>) => y.command(synthCommand).command(listCommand).command(adaptersCommand).demandCommand(1, 'Name a data command: synth, list or adapters.') as never,
  handler: () => undefined,
};
