/**
 * Writes checkpoints in a loop until killed (for the kill -9 test): checkpoint N holds
 * 2^21 values all equal to N, so a torn write would show as mixed values or a bad checksum.
 * Usage: checkpoint_writer.ts <dir>
 */
import { saveCheckpoint } from '../../../src/nn/checkpoint.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: checkpoint_writer.ts <dir>');
const size = 1 << 21;
for (let epoch = 1; ; epoch++) {
  const values = new Float32Array(size).fill(epoch);
  await saveCheckpoint(dir, { fingerprint: 'writer', epoch, step: epoch * 10, extra: { epoch } }, [
    { group: 'weights', name: 'a', shape: [size / 2], values: values.subarray(0, size / 2) },
    { group: 'weights', name: 'b', shape: [2, size / 4], values: values.subarray(size / 2) },
  ]);
  process.stdout.write(`saved ${epoch}\n`);
}
