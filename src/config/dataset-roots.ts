import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../util/errors.js';

/**
 * Dataset roots in sweep files may use ${VAR}: the value comes from the environment, else
 * from the `paths` object of ablate.config.json (in the working folder, or the file
 * ABLATE_CONFIG names), so one sweep file serves every machine it runs on.
 *
 * Only variables meant to hold dataset folders expand: those the config's `paths` names,
 * those starting with ABLATE_DATA_, and the ones the shipped paper sweeps use. Any other
 * (${AWS_SECRET_ACCESS_KEY}, ${HOME}...) is refused when the sweep is read: its value would
 * land in messages, the store and the report. Messages never show a variable's value.
 */
export const datasetVariablePrefix = 'ABLATE_DATA_';

/** The variables of sweeps/paper/ (docs/SWEEPS.md lists them). */
export const knownDatasetVariables: readonly string[] = [
  'ASVSPOOF2019_LA', 'ASVSPOOF2021_LA', 'ASVSPOOF2021_DF', 'ASVSPOOF5', 'FAKE_OR_REAL', 'IN_THE_WILD', 'MLAAD', 'LJSPEECH',
  'LIBRISPEECH', 'VCTK', 'COMMONVOICE', 'ADD2022', 'PURDUE_MANIFEST', 'TIMIT_TTS_MANIFEST',
];

const variablePattern = /\$\{([^}]*)\}/g;

/** Problems with the ${...} in a root (an empty list when every one may expand). */
export function rootVariableProblems(root: string): string[] {
  const problems: string[] = [];
  for (const [, name = ''] of root.matchAll(variablePattern)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      problems.push(`\${${name}} is not a variable name (letters, digits and _, not starting with a digit)`);
    } else if (!variableAllowed(name)) {
      problems.push(
        `\${${name}} is not a dataset variable: only variables named in the "paths" of ${configFile()}, starting with ${datasetVariablePrefix}, ` +
          `or used by the paper sweeps (${knownDatasetVariables.join(', ')}) expand, so no other environment value can reach messages, the store or a report`,
      );
    }
  }
  return problems;
}

export function resolveRoot(root: string, dataset: string): string {
  const problems = rootVariableProblems(root);
  if (problems.length > 0) throw new UserError(`dataset "${dataset}": its root ${JSON.stringify(root)}: ${problems.join('; ')}.`);
  return root.replace(variablePattern, (_match, name: string) => {
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

function variableAllowed(name: string): boolean {
  return name.startsWith(datasetVariablePrefix) || knownDatasetVariables.includes(name) || Object.hasOwn(configPaths(), name);
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
