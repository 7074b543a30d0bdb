export { generateSynthCorpus, type SynthCorpusDescription, type SynthCorpusOptions, type ManifestRow } from './corpus.js';
export { ensureSynthCorpus, type EnsureOptions, type EnsureResult } from './ensure.js';
export { defaultSynthRoot, resolveSizes, synthDefaults, synthDefaultsFor, synthFolderName, SYNTH_VERSION, SYNTH_VERSIONS, type SynthSizes } from './options.js';
export { domains, domainsFor, type DomainSpec } from './domains.js';
export { families, type SpoofFamily } from './families/index.js';
export { corpusStatistics, rankAuc, type DomainStatistics, type KnownEvidence } from './stats.js';
export { formatStatisticsTable } from './stats-table.js';
export { statistics, trivialFeatures, type StatisticName, type TrivialFeatures } from './analysis.js';
