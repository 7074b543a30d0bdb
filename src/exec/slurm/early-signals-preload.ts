import { installEarlySignals } from './early-signals.js';

/** Preloaded with `--import` by the sbatch scripts only (see early-signals.ts). */
installEarlySignals();
