/**
 * Reports of a sweep: figures (Vega-Lite -> SVG/PNG), paper tables (Markdown, LaTeX, CSV),
 * a self-contained index.html, and paired comparisons of two configurations.
 */
export { writeReport, reportFormats, type ReportFormat, type ReportOptions, type ReportSummary } from './build-report.js';
export { loadReportData } from './data/load-report-data.js';
export type { ReportData, Configuration, ReportTrial, EvaluationSet, Factor, EpochPoint, TrialScores } from './data/types.js';
export { aggregateSets } from './data/types.js';
export { seedValues, metricInfo } from './data/values.js';
export { summarize } from './data/summaries.js';
export { buildFigures, type FigureOptions } from './figures/all-figures.js';
export { comparisonFigure } from './figures/comparison.js';
export { gatingHeatmaps } from './figures/gating-heatmap.js';
export { mainEffectsFigure } from './figures/main-effects.js';
export { interactionFigure } from './figures/interaction.js';
export { trainingCurveFigures } from './figures/training-curves.js';
export { knownUnknownFigure } from './figures/known-unknown.js';
export { baseConfig, fontFamily, type Figure, type VlSpec } from './figures/figure.js';
export { renderSvg } from './render/svg.js';
export { renderPng, renderPngAsync, pngScale } from './render/png.js';
export { paperTable, type PaperTable, type TableColumn, type TableRow, type TableCell } from './tables/paper-table.js';
export { tableToMarkdown } from './tables/markdown.js';
export { tableToLatex } from './tables/latex.js';
export { tableToPaperLatex, aggregateColumns } from './tables/paper-latex.js';
export { tableToCsv } from './tables/csv.js';
export { resultRows, metricOrder, type ResultRow } from './results-table.js';
export { compareConfigurations, type PairedComparison, type CompareOptions, type Pair, type ConfigurationPairSummary } from './compare/compare.js';
export { formatComparison } from './compare/format.js';
export { selectConfiguration, selectConfigurations } from './compare/select.js';
export { pairConfigurations, type Partners, type ConfigurationPair } from './compare/partners.js';
export { signFlipTest } from './compare/sign-flip.js';
export { itemLevelComparison, type ItemLevelComparison, type ItemScores, type ItemScoreSource } from './compare/item-pairs.js';
export { storeItemScores } from './compare/item-scores.js';
