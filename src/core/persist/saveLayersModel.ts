import * as tf from '@tensorflow/tfjs';
import type { LayersModelArtifacts } from './layersModelFiles';

/**
 * A model in the tfjs Layers format, in memory: `model.save` through a save handler, since
 * tfjs's `downloads://` cannot save from a worker.
 */
export async function saveLayersModel(model: tf.LayersModel): Promise<LayersModelArtifacts> {
  let saved: LayersModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData;
      saved = {
        modelTopology: artifacts.modelTopology as object,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData: weightData instanceof ArrayBuffer ? weightData : tf.io.concatenateArrayBuffers(weightData ?? []),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error(`Saving ${model.name} produced nothing`);
  return saved;
}
