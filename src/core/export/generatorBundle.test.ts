import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { fromLayersModelFiles } from '../persist/layersModelFiles';
import layersModule from '../networks/layers/customLayers.js?raw';
import { generatorBundle } from './generatorBundle';
import { classicScript } from './standalonePage';

const weights = new Float32Array(70_000).map((_, i) => Math.sin(i));
const artifacts = { modelTopology: { class_name: 'Model', config: { name: 'G_AtoB' } }, weightSpecs: [{ name: 'w', shape: [70_000], dtype: 'float32' }], weightData: weights.buffer };
const bundle = generatorBundle({ artifacts, base: 'generator-AtoB', info: { title: 'Content → style <generator>', description: 'FastCUT · step 3' }, layersModule, tfBundle: new Uint8Array([1, 2, 3]) });
const text = (name: string) => new TextDecoder().decode(bundle[name]);

describe('generatorBundle', () => {
  it('holds the standalone page, the model twice (Layers files and a script), the layers module, tfjs and a README', () => {
    expect(Object.keys(bundle).sort()).toEqual(['README.txt', 'gan-studio-layers.js', 'generator-AtoB.json', 'generator-AtoB.weights.bin', 'index.html', 'model.js', 'tf.min.js']);
    expect(bundle['tf.min.js']).toEqual(new Uint8Array([1, 2, 3]));
    const back = fromLayersModelFiles(bundle);
    expect(new Float32Array(back.weightData)).toEqual(weights);
  });

  it('model.js carries the same topology and weights, byte for byte', () => {
    const window: { GAN_STUDIO_MODEL?: { modelTopology: object; weightSpecs: object[]; weights: string } } = {};
    runInNewContext(text('model.js'), { window });
    const model = window.GAN_STUDIO_MODEL;
    expect(model?.modelTopology).toEqual(artifacts.modelTopology);
    expect(model?.weightSpecs).toEqual(artifacts.weightSpecs);
    const bytes = Uint8Array.from(atob(model?.weights ?? ''), (c) => c.charCodeAt(0));
    expect(new Float32Array(bytes.buffer)).toEqual(weights);
  });

  it('index.html loads only files beside it, inlines the layers as a classic script, and escapes its texts', () => {
    const html = text('index.html');
    const sources = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual(['tf.min.js', 'model.js']);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('function registerGanStudioLayers(tf)');
    expect(html).not.toMatch(/^export /m);
    expect(html).toContain('Content → style &#60;generator&#62;');
    // The inlined layers are valid script: defining them needs nothing but tf.
    const context: Record<string, unknown> = {};
    runInNewContext(classicScript(layersModule), context);
    expect(typeof context.registerGanStudioLayers).toBe('function');
  });
});
