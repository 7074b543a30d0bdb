/**
 * Layer rules for src/ (issue 14; docs/ARCHITECTURE.md, "Layer rules"). `npm run lint` checks them.
 *
 * Each layer lists the layers it may import; everything not listed is forbidden, so a new
 * upward import fails with the rule's name (`layer-<from>-to-<to>`) and the files. The allowed edges
 * form a DAG, so folders cannot import each other in a circle, and `no-circular` forbids
 * cycles between files as well. The violations that existed when the rules were written are
 * listed in .dependency-cruiser-known-violations.json (`npm run lint:layers:baseline` rewrites
 * it): they are tolerated, new ones are not. Remove a line there by fixing its import.
 */
const NN_PRIMITIVES = '(backend|self_test|step_seed|variables|checkpoint)[.]ts$|(wasm|gradients)/';
// Item lists, selectors and dataset roots (`${VAR}` expansion): data concerns still in src/train/jobs/.
const DATA_IN_JOBS = '(job-items|selection|dataset-roots)[.]ts$';
const layers = [
  // Leaf helpers: RNG, hashing, atomic writes, errors; ambient declarations of untyped packages.
  { name: 'util', path: '^src/(util|types)/', mayImport: [] },
  // The sweep schema, its validation, grid expansion, trial normal form and the job plan.
  { name: 'search', path: '^src/search/', mayImport: ['util'] },
  // Three peers that never import each other: metrics, the SQLite store, audio and features.
  { name: 'metrics', path: '^src/metrics/', mayImport: ['util'] },
  { name: 'store', path: '^src/store/', mayImport: ['util', 'search'] },
  { name: 'data', path: `^src/data/|^src/train/jobs/${DATA_IN_JOBS}`, mayImport: ['util', 'search'] },
  // Neural-network primitives shared by experts, gates and the training loop (backend, kernel
  // patches, step seeds, named variables and their arrays). They still live in src/train/;
  // the rules treat them as the folder issue 14 moves them into.
  { name: 'nn', path: `^src/train/(${NN_PRIMITIVES})`, mayImport: ['util'] },
  // Detector architectures, then gates (which build on the experts' layers and init).
  { name: 'experts', path: '^src/experts/', mayImport: ['util', 'search', 'nn'] },
  { name: 'gates', path: '^src/gates/', mayImport: ['util', 'search', 'nn', 'experts'] },
  // The training loop, batches, losses and the mixture.
  { name: 'train', path: '^src/train/', pathNot: `^src/train/(jobs/|${NN_PRIMITIVES})`, mayImport: ['util', 'search', 'metrics', 'data', 'nn', 'experts', 'gates'] },
  // The job contract between the executor and whatever runs a job (worker messages, job context).
  // The records a job returns (result, epochs, scores, gate weights) are still declared by the
  // store: the contract's side may import their types (`import type`), never the store's code,
  // because worker threads and trainers never open the database.
  // What a job's failure message means (out of memory, a broken worker) is part of that contract.
  { name: 'protocol', path: '^src/exec/(protocol|memory-crash)[.]ts$', mayImport: ['util', 'search'], mayImportTypes: ['store'] },
  // What each job kind does (the built-in runners), and command trainers (external programs).
  { name: 'jobs', path: '^src/train/jobs/', pathNot: `^src/train/jobs/${DATA_IN_JOBS}`, mayImport: ['util', 'search', 'metrics', 'data', 'nn', 'experts', 'gates', 'train', 'protocol'], mayImportTypes: ['store'] },
  { name: 'trainers', path: '^src/trainers/', mayImport: ['util', 'search', 'metrics', 'data', 'protocol', 'jobs'], mayImportTypes: ['store'] },
  // The executor: scheduler, pool, Slurm. Only exec/runners/ may import job implementations (rule below).
  { name: 'exec', path: '^src/exec/', pathNot: '^src/exec/(protocol|memory-crash)[.]ts$', mayImport: ['util', 'search', 'metrics', 'store', 'data', 'protocol', 'jobs', 'trainers'] },
  // The report reads the store, never the executor or the jobs.
  { name: 'report', path: '^src/report/', mayImport: ['util', 'search', 'metrics', 'store', 'data'] },
  { name: 'doctor', path: '^src/doctor/', mayImport: ['util', 'search', 'data', 'nn', 'train', 'trainers'] },
  { name: 'cli', path: '^src/cli/', mayImport: ['util', 'search', 'metrics', 'store', 'data', 'nn', 'experts', 'gates', 'train', 'protocol', 'jobs', 'trainers', 'exec', 'report', 'doctor'] },
  { name: 'api', path: '^src/index[.]ts$', mayImport: ['util', 'search', 'metrics', 'store', 'data', 'protocol', 'exec', 'report'] },
];

const byName = new Map(layers.map((layer) => [layer.name, layer]));
for (const layer of layers) {
  for (const name of [...layer.mayImport, ...(layer.mayImportTypes ?? [])]) if (!byName.has(name)) throw new Error(`.dependency-cruiser.cjs: layer ${layer.name} names unknown layer ${name}`);
}
const where = (layer) => ({ path: layer.path, ...(layer.pathNot ? { pathNot: layer.pathNot } : {}) });

const typesOnly = (layer) => (layer.mayImportTypes ? `, and the types of ${layer.mayImportTypes.join(', ')}` : '');

// One rule per forbidden pair, so the message names both layers: `layer-report-to-exec`.
const layerRules = layers.flatMap((layer) =>
  layers
    .filter((other) => other !== layer && !layer.mayImport.includes(other.name))
    .map((other) => ({
      name: `layer-${layer.name}-to-${other.name}`,
      severity: 'error',
      comment: `${layer.name} may import only ${layer.mayImport.join(', ') || 'nothing else in src'}${typesOnly(layer)} (layer rules: docs/ARCHITECTURE.md)`,
      from: where(layer),
      // A layer named in mayImportTypes is forbidden only for imports that survive compilation.
      to: (layer.mayImportTypes ?? []).includes(other.name) ? { ...where(other), dependencyTypesNot: ['type-only'] } : where(other),
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
