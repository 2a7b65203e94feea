import * as tf from '@tensorflow/tfjs';
import { registerCustomLayers } from '../../core/networks/layers';
import { stylizeTiled } from '../../core/stylize/tiled';
import type { BackendName } from '../backends/backendReport';
import { createBrowserBackendControl } from '../backends/backends';
import type { FromStylizer, GeneratorSlot, ToStylizer } from './stylizeApi';

registerCustomLayers();
const control = createBrowserBackendControl();
const generators = new Map<GeneratorSlot, tf.LayersModel>();
let active: BackendName | null = null;

/** The backend training uses when it can be had here, else wasm, else cpu. */
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

/** Only image-to-image networks on RGB fit: any size in, the same size out. */
function checkShape(model: tf.LayersModel): void {
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || input.length !== 4 || input[3] !== 3) throw new Error(`Expected a model taking one RGB image batch [n, h, w, 3], got inputs ${JSON.stringify(model.inputs.map((i) => i.shape))}`);
  if (output.length !== 4 || output[3] !== 3) throw new Error(`Expected a model giving RGB images [n, h, w, 3], got ${JSON.stringify(output)}`);
}

function generator(slot: GeneratorSlot): tf.LayersModel {
  const model = generators.get(slot);
  if (!model) throw new Error(`No ${{ AtoB: 'A→B', BtoA: 'B→A', imported: 'imported' }[slot]} generator is loaded`);
  return model;
}

async function handle(message: ToStylizer): Promise<{ reply: FromStylizer; transfer: Transferable[] }> {
  switch (message.type) {
    case 'load': {
      const backend = await activateBackend(message.backend);
      const model = await tf.loadLayersModel(tf.io.fromMemory(message.artifacts));
      try {
        checkShape(model);
      } catch (error) {
        model.dispose();
        throw error;
      }
      generators.get(message.slot)?.dispose();
      generators.set(message.slot, model);
      return { reply: { type: 'loaded', requestId: message.requestId, slot: message.slot, backend, parameters: model.countParams() }, transfer: [] };
    }
    case 'stylize': {
      const model = generator(message.slot);
      const started = performance.now();
      const image = await stylizeTiled((x) => model.apply(x) as tf.Tensor4D, message.image);
      return { reply: { type: 'stylized', requestId: message.requestId, image, ms: performance.now() - started }, transfer: [image.data.buffer as ArrayBuffer] };
    }
    case 'predict': {
      const out = tf.tidy(() => generator(message.slot).predict(tf.tensor4d(message.input, message.shape)) as tf.Tensor);
      const output = (await out.data()) as Float32Array;
      out.dispose();
      return { reply: { type: 'predicted', requestId: message.requestId, output }, transfer: [output.buffer as ArrayBuffer] };
    }
  }
}

onmessage = async (event: MessageEvent<ToStylizer>) => {
  const { requestId } = event.data;
  try {
    const { reply, transfer } = await handle(event.data);
    postMessage(reply, { transfer });
  } catch (error) {
    postMessage({ type: 'error', requestId, message: error instanceof Error ? error.message : String(error) } satisfies FromStylizer);
  }
};
