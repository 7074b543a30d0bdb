import writeFileAtomic from 'write-file-atomic';

/**
 * Write a file so readers see either the old or the new content, never half of it
 * (temp file + fsync + rename). Everything a later step reads goes through here.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomic(path, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), { fsync: true });
}

export function writeFileAtomicallySync(path: string, data: string | Uint8Array): void {
  writeFileAtomic.sync(path, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), { fsync: true });
}
