export { openDatabase, databasePath, now, type Db } from './database.js';
export { acquireRunLock, heartbeatRunLock, releaseRunLock, processExists, LOCK_STALE_MS } from './lock.js';
export { registerPlan, isKeptMembership, type Registration, type RemovedTrials } from './register.js';
export {
  startAttempt,
  completeAttempt,
  failAttempt,
  interruptAttempt,
  heartbeatAttempts,
  recordProgress,
  recoverAbandonedAttempts,
} from './attempts.js';
export { recordEpochMetrics, recordJobResult } from './results.js';
export { logEvent, skippedFileEvents } from './events.js';
export * from './queries.js';
