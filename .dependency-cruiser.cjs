/**
 * Layer rules for src/ (issue 14; docs/ARCHITECTURE.md, "Layer rules"). `npm run lint` checks them.
 *
 * Each layer lists the layers it may import; everything not listed is forbidden, so a new
 * upward import fails with the rule's name (`layer-<from>-to-<to>`) and the files. The allowed edges
 * form a DAG, so folders cannot import each other in a circle, and `no-circular` forbids
 * cycles between files as well. src passes with no exception; fix a violation by moving the
 * shared part down (or the caller up), never by listing it.
 */
const layers = [
  // Leaf helpers: RNG, hashing, atomic writes, errors; ambient declarations of untyped packages.
  { name: 'util', path: '^src/(util|types)/', mayImport: [] },
  // The sweep schema (the one place defaults and bounds are written) and the resolved trial.
  { name: 'config', path: '^src/config/', mayImport: ['util'] },
  // The job contract between the executor and whatever runs a job: job specs (a union typed per
  // kind, built from the config's types) and their one key function, worker messages, the job
  // context, the records a job returns (result, epochs, scores, gate weights), and what a
  // failure message means. Worker threads and external trainers see only this. It sits below
  // search because the planner builds job specs: search imports the contract, the contract
  // never imports the planner.
  { name: 'protocol', path: '^src/protocol/', mayImport: ['util', 'config'] },
  // Sweep loading and validation, grid expansion, trial normal form and the job plan.
  { name: 'search', path: '^src/search/', mayImport: ['util', 'config', 'protocol'] },
  // Three peers that never import each other: metrics, the SQLite store, audio and features.
  { name: 'metrics', path: '^src/metrics/', mayImport: ['util'] },
  { name: 'store', path: '^src/store/', mayImport: ['util', 'config', 'search', 'protocol'] },
  { name: 'data', path: '^src/data/', mayImport: ['util', 'config', 'search', 'protocol'] },
  // A sweep's state read from the store (trials, running jobs, failures, ETA): what `status`,
  // the run's progress lines and the report show.
  { name: 'status', path: '^src/status/', mayImport: ['util', 'config', 'search', 'protocol', 'store'] },
  // Neural-network primitives shared by experts, gates and the training loop (backend, kernel
  // patches, step seeds, seeded init and dropout, layer arguments, named variables).
  { name: 'nn', path: '^src/nn/', mayImport: ['util'] },
  // Detector architectures, then gates (which build on the experts' layers).
  { name: 'experts', path: '^src/experts/', mayImport: ['util', 'config', 'search', 'nn'] },
  { name: 'gates', path: '^src/gates/', mayImport: ['util', 'config', 'search', 'nn', 'experts'] },
  // The training loop, batches, losses and the mixture.
  { name: 'train', path: '^src/train/', mayImport: ['util', 'config', 'search', 'metrics', 'data', 'nn', 'experts', 'gates'] },
  // What each job kind does (the built-in runners), and command trainers (external programs).
  // Both return the protocol's records (src/protocol/records.ts), never the store's: worker
  // threads and training programs never open the database.
  { name: 'jobs', path: '^src/jobs/', mayImport: ['util', 'config', 'search', 'metrics', 'data', 'nn', 'experts', 'gates', 'train', 'protocol'] },
  { name: 'trainers', path: '^src/trainers/', mayImport: ['util', 'config', 'search', 'metrics', 'data', 'protocol', 'jobs'] },
  // The executor: scheduler, pool, Slurm. Only exec/runners/ may import job implementations (rule below).
  { name: 'exec', path: '^src/exec/', mayImport: ['util', 'config', 'search', 'metrics', 'store', 'status', 'data', 'protocol', 'jobs', 'trainers'] },
  // The report reads the store, never the executor or the jobs.
  { name: 'report', path: '^src/report/', mayImport: ['util', 'config', 'search', 'metrics', 'protocol', 'store', 'status', 'data'] },
  { name: 'doctor', path: '^src/doctor/', mayImport: ['util', 'config', 'search', 'data', 'nn', 'train', 'trainers'] },
  { name: 'cli', path: '^src/cli/', mayImport: ['util', 'config', 'search', 'metrics', 'store', 'data', 'nn', 'experts', 'gates', 'train', 'protocol', 'status', 'jobs', 'trainers', 'exec', 'report', 'doctor'] },
  { name: 'api', path: '^src/index[.]ts$', mayImport: ['util', 'config', 'search', 'metrics', 'store', 'status', 'data', 'protocol', 'exec', 'report'] },
];

const byName = new Map(layers.map((layer) => [layer.name, layer]));
for (const layer of layers) {
  for (const name of layer.mayImport) if (!byName.has(name)) throw new Error(`.dependency-cruiser.cjs: layer ${layer.name} names unknown layer ${name}`);
}
const where = (layer) => ({ path: layer.path, ...(layer.pathNot ? { pathNot: layer.pathNot } : {}) });

// One rule per forbidden pair, so the message names both layers: `layer-report-to-exec`.
const layerRules = layers.flatMap((layer) =>
  layers
    .filter((other) => other !== layer && !layer.mayImport.includes(other.name))
    .map((other) => ({
      name: `layer-${layer.name}-to-${other.name}`,
      severity: 'error',
      comment: `${layer.name} may import only ${layer.mayImport.join(', ') || 'nothing else in src'} (layer rules: docs/ARCHITECTURE.md)`,
      from: where(layer),
      to: where(other),
    })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'exec-runs-jobs-by-name',
      severity: 'error',
      comment: 'the executor reaches job implementations only through the runner modules in src/exec/runners/, which it loads by name',
      from: { path: '^src/exec/(?!runners/)' },
      to: { path: [byName.get('jobs').path, byName.get('trainers').path] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'an import cycle between files: break it by moving the shared part into a module both can import',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'an import that resolves to no file and no installed package',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a layer that needs another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
