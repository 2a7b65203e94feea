import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs's engine that keeping a tensor for backprop goes through. */
interface SavingEngine {
  backendName: string;
  backend: { incRef(dataId: object): void };
  clone(x: tf.Tensor): tf.Tensor;
  makeTensorFromDataId(dataId: object, shape: number[], dtype: tf.DataType, backend: unknown): tf.Tensor;
}

let depth = 0;

/**
 * Runs `body` (a training step) with the tensors kernels save for backprop sharing their data
 * instead of being copies, on wasm.
 *
 * tfjs keeps each saved tensor through `engine.clone`: an Identity kernel and a tape node of its
 * own. On wasm Identity copies nothing (it takes a reference to the data), so all that costs is the
 * engine's bookkeeping: ~650 of a FastCUT step's 2300 kernels, ~6 ms of its JavaScript in Node.
 * Here a saved tensor takes that same reference directly. What is lost is the tape node, which only
 * a gradient of a gradient through a saved tensor would need: no training step takes one. Other
 * backends and code outside `body` keep tfjs's own clone.
 */
export function withSharedSaves<T>(body: () => T): T {
  const engine = tf.engine() as unknown as SavingEngine;
  if (depth === 0) {
    const clone = Object.getPrototypeOf(engine).clone as SavingEngine['clone'];
    engine.clone = (x) => {
      if (engine.backendName !== 'wasm') return clone.call(engine, x);
      engine.backend.incRef(x.dataId);
      return engine.makeTensorFromDataId(x.dataId, x.shape, x.dtype, engine.backend);
    };
  }
  depth++;
  try {
    return body();
  } finally {
    depth--;
    // The prototype's clone shows through again.
    if (depth === 0) delete (engine as Partial<SavingEngine>).clone;
  }
}
