import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;
type Attrs = tf.NamedAttrMap;

/**
 * Runs a backend's own kernels on TensorInfos from inside another kernel, and frees every
 * intermediate result when done. A kernel cannot call tf ops (the engine would track and
 * count their tensors twice), so composite kernels are built the way tfjs backends build
 * theirs: by calling registered kernel functions and disposing their outputs by data id.
 */
export class KernelScope {
  private readonly intermediates: TensorInfo[] = [];

  constructor(
    private readonly backendName: string,
    private readonly backend: tf.KernelBackend,
  ) {}

  /** Run `build` in a fresh scope: its result is handed back, every intermediate freed (also when it throws). */
  static compose(backendName: string, backend: unknown, build: (scope: KernelScope) => TensorInfo): TensorInfo {
    const scope = new KernelScope(backendName, backend as tf.KernelBackend);
    try {
      return scope.finish(build(scope));
    } catch (error) {
      scope.dispose();
      throw error;
    }
  }

  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: Attrs = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (kernel === undefined) throw new Error(`kernel ${kernelName} is not registered for backend ${this.backendName}`);
    const output = kernel.kernelFunc({ inputs, attrs, backend: this.backend }) as TensorInfo | TensorInfo[];
    const single = Array.isArray(output) ? output[0] : output;
    if (single === undefined) throw new Error(`kernel ${kernelName} returned no output`);
    this.intermediates.push(single);
    return single;
  }

  /** Free `info` with the intermediates (an output made directly with the backend's makeOutput). */
  adopt(info: TensorInfo): TensorInfo {
    this.intermediates.push(info);
    return info;
  }

  /** Hand `result` to the caller (it is not freed) and free everything else. */
  private finish(result: TensorInfo): TensorInfo {
    for (const info of this.intermediates) {
      if (info !== result) this.backend.disposeData(info.dataId);
    }
    this.intermediates.length = 0;
    return result;
  }

  /** Free everything (on error paths). */
  private dispose(): void {
    for (const info of this.intermediates) this.backend.disposeData(info.dataId);
    this.intermediates.length = 0;
  }
}
