import { crc32 } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';

/**
 * The size a PNG declares in its IHDR chunk, after checking the signature and the chunk's
 * CRC. Read by hand because no PNG decoder is installed; decodePng below decodes for real.
 */
export function pngHeader(png: Buffer): { width: number; height: number; bitDepth: number; colorType: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!png.subarray(0, 8).equals(signature)) throw new Error('not a PNG: bad signature');
  const length = png.readUInt32BE(8);
  const type = png.subarray(12, 16).toString('latin1');
  if (type !== 'IHDR' || length !== 13) throw new Error(`not a PNG: first chunk is ${type}`);
  const crc = png.readUInt32BE(16 + length);
  if (crc32(png.subarray(12, 16 + length)) !== crc) throw new Error('corrupt PNG: IHDR CRC mismatch');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bitDepth: png.readUInt8(24), colorType: png.readUInt8(25) };
}

/**
 * Decode a PNG with a real decoder: resvg decodes images embedded in an SVG, so the PNG is
 * drawn 1:1 into an SVG of its size and the RGBA pixels come back.
 */
export function decodePng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  const { width, height } = pngHeader(png);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}"><image width="${width}" height="${height}" xlink:href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  const image = new Resvg(svg, { font: { loadSystemFonts: false } }).render();
  return { width: image.width, height: image.height, pixels: Buffer.from(image.pixels) };
}

/** Share of pixels that are clearly not white (ink: text, marks, axes). */
export function inkShare(pixels: Buffer): number {
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) if ((pixels[i] as number) + (pixels[i + 1] as number) + (pixels[i + 2] as number) < 600) ink++;
  return ink / (pixels.length / 4);
}
