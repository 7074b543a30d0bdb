import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainFailure } from '../../src/doctor/backends.js';
import { runCli } from '../helpers/cli.js';
import type { DoctorReport } from '../../src/cli/doctor.js';

describe('ablate doctor', () => {
  it('reports backends, GPUs, the interpreter and its imports, and Slurm (--json)', () => {
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const result = runCli(['doctor', '--json', '--python', python, '--imports', 'json,no_such_module_here']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(report.backends.map((b) => b.backend)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    // wasm and cpu ship with ablate and pass the self-test everywhere it runs.
    expect(report.backends.filter((b) => b.loads).map((b) => b.backend)).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    for (const b of report.backends.filter((b) => !b.loads)) expect(b.detail.length).toBeGreaterThan(10);
    expect(report.gpus.error !== null || report.gpus.devices.length > 0).toBe(true);
    if (report.python.error === null) {
      expect(report.python.imports).toEqual([
        { module: 'json', found: true, version: expect.anything(), error: null },
        { module: 'no_such_module_here', found: false, version: null, error: "ModuleNotFoundError: No module named 'no_such_module_here'" },
      ]);
    }
    expect(typeof report.slurm.answers).toBe('boolean');
  });

  it('says when the interpreter is missing, and what a loader error means', () => {
    const result = runCli(['doctor', '--json', '--python', '/no/such/python3']);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(report.python.error).toBe('/no/such/python3: not found (set ABLATE_PYTHON or --python to the interpreter that has your trainer\'s packages)');
    expect(explainFailure('tensorflow-gpu', 'libcudart.so.11.0: cannot open shared object file: No such file or directory')).toBe(
      'a missing CUDA/cuDNN library: libcudart.so.11.0 (tfjs-node-gpu 4.22 runs libtensorflow 2.9.1, built for CUDA 11.2 and cuDNN 8.1)',
    );
    expect(explainFailure('tensorflow', "Cannot find package '@tensorflow/tfjs-node' imported from /x.js")).toMatch(/^not installed/);
  });
});
