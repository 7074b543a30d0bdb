/** What `ablate report --format` can ask for (Vega-Lite specs and tables are always written). */
export const reportFormats = ['svg', 'png', 'html'] as const;
export type ReportFormat = (typeof reportFormats)[number];
