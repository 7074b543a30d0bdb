import { spawnSync } from 'node:child_process';

export interface InterpreterReport {
  interpreter: string;
  /** Where it resolved to (sys.executable) and its version; null when it did not run. */
  executable: string | null;
  version: string | null;
  error: string | null;
  imports: Array<{ module: string; found: boolean; version: string | null; error: string | null }>;
  /** From torch, when it imports: whether CUDA is usable and which devices it sees. */
  cuda: { available: boolean; version: string | null; devices: string[] } | null;
}

// Run by the interpreter under test: one JSON object, whatever imports fail.
const script = String.raw`
import importlib, json, sys
out = {"executable": sys.executable, "version": sys.version.split()[0], "imports": [], "cuda": None}
for name in sys.argv[1:]:
    try:
        module = importlib.import_module(name)
        out["imports"].append({"module": name, "found": True, "version": getattr(module, "__version__", None), "error": None})
    except Exception as error:
        out["imports"].append({"module": name, "found": False, "version": None, "error": type(error).__name__ + ": " + str(error)})
if "torch" in sys.modules:
    import torch
    available = torch.cuda.is_available()
    out["cuda"] = {"available": available, "version": torch.version.cuda,
                   "devices": [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())] if available else []}
print(json.dumps(out))
`;

/** Does this interpreter run, and which of the modules a trainer needs does it import? */
export function probeInterpreter(interpreter: string, modules: string[]): InterpreterReport {
  const result = spawnSync(interpreter, ['-c', script, ...modules], { encoding: 'utf8', timeout: 120_000 });
  const empty = { interpreter, executable: null, version: null, imports: [], cuda: null };
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ...empty, error: missing ? `${interpreter}: not found (set ABLATE_PYTHON or --python to the interpreter that has your trainer's packages)` : result.error.message };
  }
  try {
    const parsed = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as Omit<InterpreterReport, 'interpreter' | 'error'>;
    return { interpreter, error: null, ...parsed };
  } catch {
    return { ...empty, error: `${interpreter} exited with code ${result.status}: ${result.stderr.trim().split('\n').at(-1) ?? ''}` };
  }
}
