import type { CommandModule } from 'yargs';
import { probeBackends, type BackendReport } from '../doctor/backends.js';
import { probeInterpreter, type InterpreterReport } from '../doctor/python.js';
import { checkTrainers, type TrainerReport } from '../doctor/trainers.js';
import { listGpus, type GpuInfo } from '../exec/gpus.js';
import { slurmCommand } from '../exec/slurm/slurm-cli.js';
import { settingValue } from '../config/dataset-roots.js';
import { planFromFile } from '../search/index.js';
import { commandTrainerOf, type CommandTrainer } from '../config/schema/trainer.js';

interface DoctorArgs {
  json: boolean;
  python?: string;
  imports: string;
  sweep?: string;
}

export interface DoctorReport {
  backends: BackendReport[];
  gpus: { devices: GpuInfo[]; error: string | null };
  python: InterpreterReport;
  trainers: TrainerReport[] | null;
  slurm: { answers: boolean; detail: string };
}

/** `ablate doctor`: what this machine can run, and why not where it cannot. */
export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'check this machine: TensorFlow.js backends, GPUs, a command trainer\'s interpreter and imports, Slurm',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'print the findings as JSON' })
      .option('python', { type: 'string', describe: 'the interpreter command trainers use (default: $ABLATE_PYTHON, or ablate.config.json\'s paths.ABLATE_PYTHON, else python3)' })
      .option('imports', { type: 'string', default: 'torch,torchaudio', describe: 'modules the interpreter must import (comma-separated)' })
      .option('sweep', { type: 'string', describe: 'also check the command trainers of this sweep file (program found, its Python imports)' }) as never,
  handler: (args) => {
    const report = diagnose(args);
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  },
};

export function diagnose(args: Pick<DoctorArgs, 'python' | 'imports' | 'sweep'>): DoctorReport {
  const modules = args.imports.split(',').map((m) => m.trim()).filter(Boolean);
  const gpus = listGpus();
  let trainers: TrainerReport[] | null = null;
  if (args.sweep) {
    const seen = new Map<string, CommandTrainer>();
    for (const job of planFromFile(args.sweep).jobs.values()) {
      const trainer = commandTrainerOf(job.inputs);
      if (trainer) seen.set(JSON.stringify(trainer), trainer);
    }
    trainers = checkTrainers([...seen.values()], modules);
  }
  const sinfo = slurmCommand('sinfo', ['-h', '-o', '%P %a %D %T'], 15_000);
  return {
    backends: probeBackends(),
    gpus: 'error' in gpus ? { devices: [], error: gpus.error } : { devices: gpus.gpus, error: null },
    python: probeInterpreter(args.python ?? settingValue('ABLATE_PYTHON') ?? 'python3', modules),
    trainers,
    slurm: sinfo.ok
      ? { answers: true, detail: `sinfo: ${sinfo.stdout.trim().split('\n').join('; ') || 'no partitions'}` }
      : { answers: false, detail: sinfo.missing ? 'not installed (sinfo not on PATH)' : `sinfo failed: ${sinfo.stderr.split('\n')[0]}` },
  };
}

export function formatReport(report: DoctorReport): string {
  const lines: string[] = ['TensorFlow.js backends (--backend auto takes the first that loads):'];
  for (const b of report.backends) lines.push(`  ${b.backend.padEnd(15)} ${b.loads ? 'loads  ' : 'no     '} ${b.detail}`);
  lines.push('GPUs (nvidia-smi):');
  if (report.gpus.error) lines.push(`  none found: ${report.gpus.error}`);
  else if (report.gpus.devices.length === 0) lines.push('  none listed');
  for (const gpu of report.gpus.devices) lines.push(`  ${gpu.index}: ${gpu.name}${gpu.memoryMiB !== null ? `, ${gpu.memoryMiB} MiB` : ''}  ${gpu.uuid}`);
  lines.push(...formatInterpreter(report.python, 'Command trainer interpreter (--python, or ABLATE_PYTHON)'));
  if (report.trainers) {
    lines.push('Command trainers of the sweep:');
    if (report.trainers.length === 0) lines.push('  none: every trial uses the built-in trainer');
    for (const t of report.trainers) {
      lines.push(`  ${t.name}: ${t.error ? `cannot start: ${t.error}` : `starts ${t.program}`}`);
      if (t.python) lines.push(...formatInterpreter(t.python, null).map((line) => `  ${line}`));
    }
  }
  lines.push(`Slurm: ${report.slurm.answers ? 'answers' : 'no'} (${report.slurm.detail})`);
  return `${lines.join('\n')}\n`;
}

function formatInterpreter(p: InterpreterReport, title: string | null): string[] {
  const lines = title ? [`${title}: ${p.interpreter}`] : [];
  if (p.error) return [...lines, `  ${p.error}`];
  lines.push(`  ${p.executable} (Python ${p.version})`);
  for (const i of p.imports) lines.push(`  import ${i.module.padEnd(12)} ${i.found ? `ok ${i.version ?? ''}` : `fails: ${i.error}`}`);
  if (p.cuda) lines.push(`  CUDA from torch: ${p.cuda.available ? `yes (CUDA ${p.cuda.version}; ${p.cuda.devices.join(', ')})` : `no${p.cuda.version ? ` (built for CUDA ${p.cuda.version})` : ' (a CPU build of torch)'}`}`);
  return lines;
}
