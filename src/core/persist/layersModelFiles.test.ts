import * as tf from '@tensorflow/tfjs';
import { strToU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCustomLayers } from '../networks/layers';
import { buildGenerator } from '../networks/generator';
import { makeRng } from '../data/random';
import { fromLayersModelFiles, ModelFileError, toLayersModelFiles, type LayersModelArtifacts } from './layersModelFiles';
import { saveLayersModel } from './saveLayersModel';

let generator: tf.LayersModel;
let artifacts: LayersModelArtifacts;

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
  generator = buildGenerator({ filters: 4, resBlocks: 1, upsampling: 'transpose', start: 'random', name: 'G_AtoB' }, makeRng('files'));
  artifacts = await saveLayersModel(generator);
});

describe('tfjs Layers model files', () => {
  it('whose shapes do not fit the topology are refused by tfjs when loaded, before any use', async () => {
    const specs = artifacts.weightSpecs.map((w, i) => (i === 0 ? { ...w, shape: [w.shape[3], w.shape[2], w.shape[1], w.shape[0]] } : w));
    const swapped = fromLayersModelFiles(toLayersModelFiles({ ...artifacts, weightSpecs: specs }, 'g'));
    await expect(tf.loadLayersModel(tf.io.fromMemory(swapped))).rejects.toThrow(/shape/i);
  });

  it('write model.json and weights that load back into the same network (folders ignored)', async () => {
    const files = toLayersModelFiles(artifacts, 'generator-AtoB');
    expect(Object.keys(files)).toEqual(['generator-AtoB.json', 'generator-AtoB.weights.bin']);
    const manifest = JSON.parse(new TextDecoder().decode(files['generator-AtoB.json'])) as { weightsManifest: { paths: string[] }[] };
    expect(manifest.weightsManifest[0].paths).toEqual(['generator-AtoB.weights.bin']);
    const back = fromLayersModelFiles({ 'some/folder/generator-AtoB.json': files['generator-AtoB.json'], 'generator-AtoB.weights.bin': files['generator-AtoB.weights.bin'] });
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(back));
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 5);
    const [a, b] = [generator.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
  });

  const files = () => toLayersModelFiles(artifacts, 'g');
  const cases: [string, () => Record<string, Uint8Array>, RegExp][] = [
    ['no JSON file', () => ({ 'g.weights.bin': files()['g.weights.bin'] }), /No model \.json file/],
    ['two JSON files', () => ({ ...files(), 'other.json': strToU8('{}') }), /Expected one model \.json file, got 2/],
    ['JSON that does not parse', () => ({ ...files(), 'g.json': strToU8('{') }), /not valid JSON/],
    ['JSON without a topology', () => ({ ...files(), 'g.json': strToU8('{"weightsManifest": []}') }), /no modelTopology/],
    ['a graph model', () => ({ ...files(), 'g.json': strToU8('{"format": "graph-model", "modelTopology": {}, "weightsManifest": []}') }), /not a layers-model/],
    ['a missing weight file', () => ({ 'g.json': files()['g.json'] }), /weight file g\.weights\.bin named in g\.json was not given/],
    ['a truncated weight file', () => ({ ...files(), 'g.weights.bin': files()['g.weights.bin'].slice(8) }), /Expected \d+ bytes of weights for g\.weights\.bin, got \d+/],
    ['NaN weights', () => ({ ...files(), 'g.weights.bin': new Uint8Array(new Float32Array(files()['g.weights.bin'].length / 4).fill(NaN).buffer) }), /holds NaN or infinite values/],
  ];
  for (const [what, make, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => fromLayersModelFiles(make())).toThrow(ModelFileError);
      expect(() => fromLayersModelFiles(make())).toThrow(message);
    });
  }
});
