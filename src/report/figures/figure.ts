import type { ReportData } from '../data/types.js';

/** A Vega-Lite spec as plain JSON (written to .vl.json as is, so users can restyle it). */
export type VlSpec = Record<string, unknown>;

export interface Figure {
  /** File stem saying what it shows, e.g. `gating-heatmap-moe-mlp-soft`. */
  name: string;
  title: string;
  /** One sentence for the HTML page: what is plotted and how intervals are made. */
  caption: string;
  spec: VlSpec;
  /** PNG pixels per SVG unit, where not the report's default (paper figures render at print resolution). */
  pngScale?: number;
}

export const fontFamily = 'DejaVu Sans';

/** The shared look: a font that exists offline, readable sizes, room for long labels. */
export const baseConfig = {
  font: fontFamily,
  background: 'white',
  padding: 16,
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: '#444', anchor: 'start', offset: 12, subtitlePadding: 4 },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320, titlePadding: 8 },
  header: { labelFontSize: 12, titleFontSize: 12, labelLimit: 240 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320, symbolLimit: 0 },
  concat: { spacing: 24 },
  facet: { spacing: 16 },
  view: { stroke: '#ccc' },
} as const;

/** "12 of 84 trials done", the note every figure carries. */
export function progressNote(data: ReportData): string {
  return `${data.progress.done} of ${data.progress.total} trials done`;
}

/** The common top of every figure: schema, title with the sweep and progress, config. */
export function figureHeader(data: ReportData, title: string, subtitle: string[] = []): VlSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: [...subtitle, `sweep ${data.sweep.name} · ${progressNote(data)}`] },
    config: baseConfig,
  };
}

/** Levels as axis text: booleans and numbers as written, objects as compact JSON. */
export function levelText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
