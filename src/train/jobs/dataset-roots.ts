import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../util/errors.js';

/**
 * Dataset roots in sweep files may use ${VAR}: the value comes from the environment, else
 * from the `paths` object of ablate.config.json (in the working folder, or the file
 * ABLATE_CONFIG names), so one sweep file serves every machine it runs on.
 */
export function resolveRoot(root: string, dataset: string): string {
  return root.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const fromEnv = process.env[name];
    if (fromEnv) return fromEnv;
    const fromConfig = configPaths()[name];
    if (fromConfig) return fromConfig;
    throw new UserError(
      `dataset "${dataset}": its root uses \${${name}}, which is not set. Set the environment variable ${name} to the dataset's folder, ` +
        `or add "${name}" to the "paths" object of ${configFile()}.`,
    );
  });
}

function configFile(): string {
  return resolve(process.env['ABLATE_CONFIG'] ?? 'ablate.config.json');
}

let cached: { file: string; paths: Record<string, string> } | null = null;

function configPaths(): Record<string, string> {
  const file = configFile();
  if (cached?.file === file) return cached.paths;
  let paths: Record<string, string> = {};
  if (existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { paths?: Record<string, unknown> };
      paths = Object.fromEntries(Object.entries(parsed.paths ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch (error) {
      throw new UserError(`${file}: not valid JSON (${(error as Error).message}). It should hold {"paths": {"NAME": "/folder", ...}}.`);
    }
  }
  cached = { file, paths };
  return paths;
}

/**
 * ${VAR} in other machine-specific settings (a command trainer's program, folder and
 * environment): the environment first, then the `paths` of ablate.config.json, as roots.
 */
export function expandVariables(text: string, where: string): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const value = process.env[name] || configPaths()[name];
    if (value) return value;
    throw new UserError(`${where} uses \${${name}}, which is not set. Set the environment variable ${name}, or add "${name}" to the "paths" object of ${configFile()}.`);
  });
}

/** The value of a setting from the environment or ablate.config.json's `paths`, if any. */
export function settingValue(name: string): string | undefined {
  return process.env[name] || configPaths()[name] || undefined;
}
