import { toLayersModelFiles, type LayersModelArtifacts } from '../persist/layersModelFiles';
import { standalonePage, type StandaloneInfo } from './standalonePage';

export interface BundleInput {
  artifacts: LayersModelArtifacts;
  /** File names start with this, e.g. "generator-AtoB". */
  base: string;
  info: StandaloneInfo;
  /** The custom-layers ES module (core/networks/layers/customLayers.js). */
  layersModule: string;
  /** tfjs's tf.min.js, the same version the model was trained with. */
  tfBundle: Uint8Array;
}

/** Base64 without building one giant argument list (btoa takes a binary string). */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const README = (base: string) => `Open index.html to stylize photos with this generator: it runs offline, in the browser, on this computer.

Files
  index.html                  the stylizing page (reads tf.min.js and model.js from this folder)
  model.js                    the generator as a script, for index.html
  ${base}.json + .weights.bin  the same generator in the standard TensorFlow.js Layers format
  gan-studio-layers.js        the custom layers it uses (instance norm, reflection padding, the
                              global grade and the clip of a generator that starts from the photo),
                              as an ES module:
                              import { registerGanStudioLayers } from './gan-studio-layers.js';
                              registerGanStudioLayers(tf);
                              const model = await tf.loadLayersModel('./${base}.json');
  tf.min.js                   TensorFlow.js
`;

/**
 * Everything an exported generator needs in one folder: the model in the standard Layers format
 * for programmers, and a page that uses it offline for everyone else.
 */
export function generatorBundle({ artifacts, base, info, layersModule, tfBundle }: BundleInput): Record<string, Uint8Array> {
  const encode = (text: string) => new TextEncoder().encode(text);
  const script = `window.GAN_STUDIO_MODEL = ${JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs, weights: base64(new Uint8Array(artifacts.weightData)) })};\n`;
  return {
    ...toLayersModelFiles(artifacts, base),
    'index.html': encode(standalonePage(info, layersModule)),
    'model.js': encode(script),
    'gan-studio-layers.js': encode(layersModule),
    'tf.min.js': tfBundle,
    'README.txt': encode(README(base)),
  };
}
