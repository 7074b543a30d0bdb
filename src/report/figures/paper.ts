import type { ReportData } from '../data/types.js';
import { baseConfig, progressNote, type VlSpec } from './figure.js';

/**
 * Paper sizes, in points (1 SVG px = 1 pt when the figure is included at its natural size):
 * the text width of a column and of the page in the usual two-column templates (IEEE
 * 3.5 in / 7.16 in, Interspeech and ICASSP alike).
 */
export const paperWidths = { single: 252, double: 516 } as const;
export type PaperWidth = keyof typeof paperWidths;

/** PNG pixels per point: 4 gives 288 dpi, print quality, at paper size. */
export const paperPngScale = 4;

/** Fonts at the sizes of a paper's captions and footnotes (7-9 pt), tight padding. */
export const paperConfig = {
  ...baseConfig,
  padding: 4,
  title: { ...baseConfig.title, fontSize: 9, subtitleFontSize: 7, offset: 4, subtitlePadding: 2 },
  axis: { labelFontSize: 7, titleFontSize: 8, labelLimit: 0, titlePadding: 3, tickSize: 3, labelPadding: 2 },
  header: { labelFontSize: 8, titleFontSize: 8, labelLimit: 0, labelPadding: 3 },
  legend: { labelFontSize: 7, titleFontSize: 8, labelLimit: 0, symbolSize: 30, rowPadding: 1, padding: 2 },
  concat: { spacing: 10 },
  facet: { spacing: 6 },
} as const;

/**
 * The top of a paper figure: no title (the paper's caption says what it shows), but a
 * partial sweep still says so on the figure itself.
 */
export function paperHeader(data: ReportData): VlSpec {
  const partial = data.progress.done < data.progress.total;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(partial ? { title: { text: ' ', subtitle: [`partial: ${progressNote(data)}`], subtitleColor: '#a34a00' } } : {}),
    config: paperConfig,
  };
}

/** Average width of a character at `size` pt in DejaVu Sans (about 0.6 em). */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.6;
}

/** A long label on two lines, broken at the space nearest its middle. */
export function twoLines(label: string, max: number): string[] {
  if (label.length <= max) return [label];
  const middle = label.length / 2;
  let best = -1;
  for (let i = label.indexOf(' '); i >= 0; i = label.indexOf(' ', i + 1)) if (best < 0 || Math.abs(i - middle) < Math.abs(best - middle)) best = i;
  return best < 0 ? [label] : [label.slice(0, best), label.slice(best + 1)];
}
