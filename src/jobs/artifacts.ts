import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ArtifactRecord } from '../protocol/records.js';

/** An artifact record for a file under the results folder: its size and content hash. */
export function describeFile(resultsDir: string, name: string, path: string): ArtifactRecord {
  const content = readFileSync(path);
  return { name, path: relative(resultsDir, path), size: content.length, sha256: createHash('sha256').update(content).digest('hex') };
}

/** Every file of a folder (recursively) as artifacts named `<prefix>/<relative path>`. */
export function describeFolder(resultsDir: string, prefix: string, folder: string): ArtifactRecord[] {
  const out: ArtifactRecord[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(describeFile(resultsDir, `${prefix}/${relative(folder, path)}`, path));
    }
  };
  walk(folder);
  return out;
}
