import { Resvg } from '@resvg/resvg-js';
import type * as Vega from 'vega';
import { dejaVuFontFiles } from './png.js';
import { fontFamily } from '../figures/figure.js';

/**
 * Vega lays text out by its width (axis label room, legend columns, truncation). Headless,
 * it has no canvas and guesses 0.8 em per character, about a third too wide for DejaVu
 * Sans: long labels get cut and space is wasted. Vega lets the width function be replaced
 * (as vl-convert does), so it is replaced by real DejaVu Sans advances, measured once per
 * character with resvg, the renderer that draws the PNGs, so layout and pixels agree.
 * (No font-metrics library is installed; resvg is, and it measures what it will draw.)
 */
let installed = false;

export function useMeasuredTextWidths(vega: typeof Vega): void {
  if (installed || dejaVuFontFiles().length === 0) return;
  installed = true;
  /** Vega exports this hook at run time but its typings omit it. */
  const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextItem, text?: string | null) => number } };
  textMetrics.width = (item: TextItem, text?: string | null) => {
    const line = text == null ? '' : String(text).trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const bold = isBold(item.fontWeight);
    let em = 0;
    for (const char of line) em += advance(char, bold);
    const width = em * size * safety;
    // Vega truncates labels to `limit` with an ellipsis: the drawn text is never wider.
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}

interface TextItem {
  fontSize?: number | string | null;
  fontWeight?: number | string | null;
  limit?: number;
}

/** Kerning is left out of the per-character sum; a small margin covers it. */
const safety = 1.02;
const advances = new Map<string, number>();

function isBold(weight: TextItem['fontWeight']): boolean {
  if (weight == null) return false;
  if (typeof weight === 'number') return weight >= 600;
  return weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
}

/** Advance width of a character in em: the ink width of H + 20 copies + H, less that of HH, over 20. */
function advance(char: string, bold: boolean): number {
  const key = `${bold ? 'b' : 'n'}${char}`;
  let value = advances.get(key);
  if (value === undefined) {
    const reference = inkWidth('HH', bold);
    value = Math.max(0, (inkWidth(`H${char.repeat(20)}H`, bold) - reference) / 20 / measureSize);
    advances.set(key, value);
  }
  return value;
}

const measureSize = 100;

function inkWidth(text: string, bold: boolean): number {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${(text.length + 2) * measureSize * 2}" height="${measureSize * 2}">` +
    `<text x="10" y="${measureSize}" font-family="${fontFamily}" font-size="${measureSize}" font-weight="${bold ? 'bold' : 'normal'}" xml:space="preserve">${escaped}</text></svg>`;
  const resvg = new Resvg(svg, { font: { fontFiles: dejaVuFontFiles(), loadSystemFonts: false, defaultFontFamily: fontFamily } });
  return resvg.getBBox()?.width ?? 0;
}
