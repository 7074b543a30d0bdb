import { spawnSync } from 'node:child_process';

export interface TorchPython {
  /** The interpreter to run, or null when none has the modules. */
  python: string | null;
  /** Why none was found (printed by the skipping test). */
  reason: string;
}

/**
 * An interpreter that imports `modules` (torch, torchaudio): $ABLATE_PYTHON if set, else
 * Debian's /usr/bin/python3 (where python3-torch installs), else python3 on PATH.
 */
export function findTorchPython(modules: string[] = ['torch']): TorchPython {
  const candidates = process.env['ABLATE_PYTHON'] ? [process.env['ABLATE_PYTHON']] : ['/usr/bin/python3', 'python3'];
  const tried: string[] = [];
  for (const python of candidates) {
    const check = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8', timeout: 60_000 });
    if (check.status === 0) return { python, reason: '' };
    const why = check.error ? check.error.message : (check.stderr.trim().split('\n').at(-1) ?? `exit ${check.status}`);
    tried.push(`${python}: ${why}`);
  }
  return { python: null, reason: `no Python interpreter imports ${modules.join(' and ')} (${tried.join('; ')}); set ABLATE_PYTHON or install python3-torch python3-torchaudio` };
}
