import * as tf from '@tensorflow/tfjs';
import { stylizeTiled } from '../../core/stylize/tiled';
import type { BackendControl } from '../backends/backendControl';
import type { BackendName } from '../backends/backendReport';
import type { Handlers } from '../bridge/serveWorker';
import { Transfer } from '../bridge/wire';
import type { GeneratorSlot, StylizeApi } from './stylizeApi';

/** Only image-to-image networks on RGB fit: any size in, the same size out. */
function checkShape(model: tf.LayersModel): void {
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || input.length !== 4 || input[3] !== 3) throw new Error(`Expected a model taking one RGB image batch [n, h, w, 3], got inputs ${JSON.stringify(model.inputs.map((i) => i.shape))}`);
  if (output.length !== 4 || output[3] !== 3) throw new Error(`Expected a model giving RGB images [n, h, w, 3], got ${JSON.stringify(output)}`);
}

/** Generators by slot, on the backend training uses when it can be had here, else wasm, else cpu. */
export function stylizeHandlers(control: BackendControl): Handlers<StylizeApi> {
  const generators = new Map<GeneratorSlot, tf.LayersModel>();
  let active: BackendName | null = null;

  async function activateBackend(preferred: BackendName): Promise<BackendName> {
    if (active) return active;
    for (const name of [...new Set<BackendName>([preferred, 'wasm', 'cpu'])]) {
      try {
        await control.activate(name);
        active = name;
        return name;
      } catch {
        continue;
      }
    }
    throw new Error('no tfjs backend could be started for stylizing');
  }

  function generator(slot: GeneratorSlot): tf.LayersModel {
    const model = generators.get(slot);
    if (!model) throw new Error(`No ${{ AtoB: 'A→B', BtoA: 'B→A', imported: 'imported' }[slot]} generator is loaded`);
    return model;
  }

  return {
    async load({ slot, artifacts, backend }) {
      const chosen = await activateBackend(backend);
      const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      try {
        checkShape(model);
      } catch (error) {
        model.dispose();
        throw error;
      }
      generators.get(slot)?.dispose();
      generators.set(slot, model);
      return { slot, backend: chosen, parameters: model.countParams() };
    },
    async stylize({ slot, image }) {
      const model = generator(slot);
      const started = performance.now();
      const out = await stylizeTiled((x) => model.apply(x) as tf.Tensor4D, image);
      return new Transfer({ image: out, ms: performance.now() - started }, [out.data.buffer as ArrayBuffer]);
    },
    async predict({ slot, input, shape }) {
      const out = tf.tidy(() => generator(slot).predict(tf.tensor4d(input, shape)) as tf.Tensor);
      const output = (await out.data()) as Float32Array;
      out.dispose();
      return new Transfer({ output }, [output.buffer as ArrayBuffer]);
    },
  };
}
