import { existsSync } from 'node:fs';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import { fontFamily } from '../figures/figure.js';

/** Where Debian/Ubuntu (fonts-dejavu-core), Fedora and macOS Homebrew put DejaVu Sans. */
const dejaVuCandidates = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf',
  '/opt/homebrew/share/fonts/DejaVuSans.ttf',
];

let fontFiles: string[] | undefined;

/** DejaVu Sans files found on this machine (the figures' font); empty when none is installed. */
export function dejaVuFontFiles(): string[] {
  fontFiles ??= dejaVuCandidates.filter((f) => existsSync(f));
  return fontFiles;
}

/** Pixels per SVG unit in PNGs: 2 gives print-quality figures at a readable file size. */
export const pngScale = 2;

/**
 * SVG -> PNG with resvg (no browser, no native canvas). Where DejaVu Sans is missing the
 * system fonts are scanned instead (slower, another face) so text still renders; install
 * fonts-dejavu-core for the intended look.
 */
export function renderPng(svg: string, scale = pngScale): Buffer {
  return new Resvg(svg, pngOptions(scale)).render().asPng();
}

/** As renderPng, on libuv's thread pool, so PNGs encode while the next figure is laid out. */
export async function renderPngAsync(svg: string, scale = pngScale): Promise<Buffer> {
  return (await renderAsync(svg, pngOptions(scale))).asPng();
}

function pngOptions(scale: number): ResvgRenderOptions {
  const files = dejaVuFontFiles();
  return {
    font: { fontFiles: files, loadSystemFonts: files.length === 0, defaultFontFamily: fontFamily },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  };
}
