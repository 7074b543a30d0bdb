import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Training and real-process tests take seconds; the defaults are tuned for unit tests.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Worker threads, child processes and TensorFlow.js backends are heavy; forks isolate them.
    pool: 'forks',
  },
});
