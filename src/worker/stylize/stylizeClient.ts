import type { RgbaImage } from '../../core/data/pixels';
import type { LayersModelArtifacts } from '../../core/persist/layersModelFiles';
import type { BackendName } from '../backends/backendReport';
import { WorkerBridge } from '../bridge/workerBridge';
import { createTfjsWorker } from '../tfjsWorker';
import type { GeneratorSlot, StylizeApi } from './stylizeApi';

/** Promise-based handle on the stylize worker. */
export class StylizeClient {
  private readonly bridge = new WorkerBridge<StylizeApi>(createTfjsWorker, 'stylize');

  load(slot: GeneratorSlot, artifacts: LayersModelArtifacts, backend: BackendName) {
    return this.bridge.call('load', { slot, artifacts, backend });
  }

  /** The image's pixels are transferred: pass a copy to keep them. */
  stylize(slot: GeneratorSlot, image: RgbaImage) {
    return this.bridge.call('stylize', { slot, image }, { transfer: [image.data.buffer as ArrayBuffer] });
  }

  predict(slot: GeneratorSlot, input: Float32Array, shape: [number, number, number, number]) {
    return this.bridge.call('predict', { slot, input, shape });
  }

  dispose(): void {
    this.bridge.dispose();
  }
}
