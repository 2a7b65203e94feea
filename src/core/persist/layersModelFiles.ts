/** A model in the tfjs Layers format, as `model.save` hands it to an IOHandler. */
export interface LayersModelArtifacts {
  modelTopology: object;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

/** A file set that is not a usable tfjs Layers model; the message says why. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * The two files `tf.loadLayersModel` reads: `<base>.json` (topology and weight manifest) and
 * `<base>.weights.bin`, named so several models can sit in one folder.
 */
export function toLayersModelFiles(artifacts: LayersModelArtifacts, base: string): Record<string, Uint8Array> {
  const weightsFile = `${base}.weights.bin`;
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'GAN Style Studio',
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs }],
  };
  return { [`${base}.json`]: new TextEncoder().encode(JSON.stringify(modelJson)), [weightsFile]: new Uint8Array(artifacts.weightData) };
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Reads a Layers model back from its files (the JSON and every weight file its manifest names,
 * matched by file name so folders do not matter), checking that the weight files are there and
 * have exactly the bytes the manifest describes.
 */
export function fromLayersModelFiles(files: Record<string, Uint8Array>): LayersModelArtifacts {
  const byName = new Map(Object.entries(files).map(([path, bytes]) => [baseName(path), bytes]));
  const jsonNames = [...byName.keys()].filter((n) => n.endsWith('.json'));
  if (jsonNames.length !== 1) {
    throw new ModelFileError(jsonNames.length === 0 ? 'No model .json file was given' : `Expected one model .json file, got ${jsonNames.length}: ${jsonNames.join(', ')}`);
  }
  let json: { modelTopology?: unknown; weightsManifest?: unknown; format?: unknown };
  try {
    json = JSON.parse(new TextDecoder().decode(byName.get(jsonNames[0]))) as typeof json;
  } catch {
    throw new ModelFileError(`${jsonNames[0]} is not valid JSON`);
  }
  if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new ModelFileError(`${jsonNames[0]} has no modelTopology: it is not a tfjs Layers model`);
  }
  if (json.format !== undefined && json.format !== 'layers-model') throw new ModelFileError(`${jsonNames[0]} is a ${String(json.format)}, not a layers-model`);
  if (!Array.isArray(json.weightsManifest)) throw new ModelFileError(`${jsonNames[0]} has no weightsManifest`);
  const weightSpecs: LayersModelArtifacts['weightSpecs'] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest as { paths?: unknown; weights?: unknown }[]) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) throw new ModelFileError(`${jsonNames[0]} has a malformed weightsManifest`);
    let expected = 0;
    for (const spec of group.weights as { name?: unknown; shape?: unknown; dtype?: unknown }[]) {
      const bytes = BYTES[String(spec?.dtype ?? 'float32')];
      if (typeof spec?.name !== 'string' || !Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0) || !bytes) {
        throw new ModelFileError(`${jsonNames[0]} lists a weight without a valid name, shape and dtype`);
      }
      expected += (spec.shape as number[]).reduce((a, b) => a * b, 1) * bytes;
      weightSpecs.push({ name: spec.name, shape: spec.shape as number[], dtype: String(spec.dtype ?? 'float32') });
    }
    let actual = 0;
    for (const path of group.paths as unknown[]) {
      const bytes = byName.get(baseName(String(path)));
      if (!bytes) throw new ModelFileError(`The weight file ${String(path)} named in ${jsonNames[0]} was not given`);
      parts.push(bytes);
      actual += bytes.byteLength;
    }
    if (actual !== expected) throw new ModelFileError(`Expected ${expected} bytes of weights for ${(group.paths as unknown[]).join(', ')}, got ${actual}`);
  }
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    weightData.set(part, at);
    at += part.byteLength;
  }
  let offset = 0;
  for (const spec of weightSpecs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype === 'float32' && !new Float32Array(weightData.buffer, offset, count).every(Number.isFinite)) {
      throw new ModelFileError(`Weight ${spec.name} holds NaN or infinite values: the model was saved from a diverged run`);
    }
    offset += count * BYTES[spec.dtype];
  }
  return { modelTopology: json.modelTopology, weightSpecs, weightData: weightData.buffer };
}
