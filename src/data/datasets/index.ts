export { loadDataset, loadDatasets, adapterNames, getAdapter, listAdapters } from './registry.js';
export type { DatasetSpec, LoadDatasetOptions } from './spec.js';
export type { DatasetAdapter } from './adapter.js';
export { seededSplit, type SeededSplitOptions } from './split.js';
export { summarise, type DatasetSummaryRow } from './summary.js';
