export * from './features.js';
export * from './experts.js';
export * from './data.js';
export * from './training.js';
export * from './moe.js';
export * from './trainer.js';
export * from './trial.js';
export * from './sweep.js';
