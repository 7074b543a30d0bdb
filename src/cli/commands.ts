import type { CommandModule } from 'yargs';
import { dataCommand } from './data.js';
import { planCommand } from './plan.js';
import { runCommand } from './run.js';
import { resumeCommand } from './resume.js';
import { statusCommand } from './status.js';
import { exportCommand } from './export.js';
import { scoreCommand } from './score.js';
import { featuresCommand } from './features.js';
import { reportCommand } from './report.js';
import { compareCommand } from './compare.js';
import { workerCommand } from './worker.js';
import { collectCommand } from './collect.js';
import { doctorCommand } from './doctor.js';

/**
 * Every `ablate` command, one module per file. Add a command by writing
 * src/cli/<name>.ts exporting a yargs CommandModule and listing it here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: Array<CommandModule<any, any>> = [
  dataCommand,
  planCommand,
  runCommand,
  resumeCommand,
  statusCommand,
  exportCommand,
  scoreCommand,
  featuresCommand,
  reportCommand,
  compareCommand,
  workerCommand,
  collectCommand,
  doctorCommand,
];
