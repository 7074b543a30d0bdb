export { generateSynthCorpus, type SynthCorpusDescription, type SynthCorpusOptions, type ManifestRow } from './corpus.js';
export { ensureSynthCorpus, type EnsureOptions, type EnsureResult } from './ensure.js';
export { defaultSynthRoot, resolveSizes, synthDefaults, synthFolderName, SYNTH_VERSION, type SynthSizes } from './options.js';
export { domains, type DomainSpec } from './domains.js';
export { families, type SpoofFamily } from './families/index.js';
export { corpusStatistics, rankAuc, type DomainStatistics } from './stats.js';
export { statistics, trivialFeatures, type StatisticName, type TrivialFeatures } from './analysis.js';
