import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../util/atomic.js';

/**
 * Per-item, per-expert numbers of one evaluation set (gate weights, each expert's own score):
 * raw little-endian float32, row-major [items, experts], rows in the order of the set's score
 * file, no header. Compact (4 bytes a value: 8 MB for 500k items and 4 experts) and read by
 * numpy as `np.fromfile(path, '<f4').reshape(-1, experts)`. Float32 because Node 20 has no
 * Float16Array, and a gate weight in float16 loses the third decimal near 1.
 */
export async function writeItemMatrix(path: string, values: Float32Array): Promise<void> {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setFloat32(i * 4, value, true));
  await writeFileAtomically(path, bytes);
}

/** The matrix of `items` rows and `columns` columns, or an error naming the file when its size disagrees. */
export function readItemMatrix(path: string, items: number, columns: number): Float32Array {
  const bytes = readFileSync(path);
  if (bytes.length !== items * columns * 4) {
    throw new Error(`${path}: ${bytes.length} bytes, expected ${items} items x ${columns} experts x 4 bytes (float32) = ${items * columns * 4}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: items * columns }, (_, i) => view.getFloat32(i * 4, true));
}
