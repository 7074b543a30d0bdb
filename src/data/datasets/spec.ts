/**
 * How a sweep names a dataset: its name (what selectors use), the adapter that reads its
 * layout, the folder it lives in and adapter options. The sweep planner resolves `${VAR}`
 * in `root` before it gets here.
 */
export interface DatasetSpec {
  name: string;
  adapter: string;
  /** Folder (or manifest file for `csv`); optional only for `synth`. */
  root?: string;
  options?: Record<string, unknown>;
}

export interface LoadDatasetOptions {
  /** The results folder; `synth` keeps its generated corpus under `<resultsDir>/corpus/`. */
  resultsDir?: string;
  /** Where notes go (skipped files, splits not found); default: stderr. */
  warn?: (message: string) => void;
}
