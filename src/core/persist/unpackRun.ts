import { unzipSync } from 'fflate';
import { validateConfig } from '../config';
import { LOSS_NAMES, networksOf, type GanState, type TensorData } from '../gan/state';
import type { RgbaImage } from '../data/pixels';
import type { PreviewReport } from '../training/reports';
import { errorMessage } from '../../shared/errorMessage';
import { restoreRun } from './restore';
import { RUN_FORMAT, RunFileError, type ImageRef, type NamedImage, type RunJson, type SavedRun } from './runArchive';

export function decodeRunZip(bytes: Uint8Array): SavedRun {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new RunFileError(`This is not a readable .zip file (${errorMessage(error)})`);
  }
  return unpackRun(files);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function fail(message: string): never {
  throw new RunFileError(message);
}

/**
 * Reads a run back from its archive's files, checking every part before returning anything:
 * format and version, config, tensor and image sizes against the binary files, history and
 * previews. Whether the tensors fit the networks the config builds is checked when they are loaded.
 */
export function unpackRun(files: Record<string, Uint8Array>): SavedRun {
  const text = files['run.json'];
  if (!text) fail('run.json is missing: this is not a GAN Style Studio run file');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(text));
  } catch {
    fail('run.json is not valid JSON');
  }
  if (!isObject(json) || json.format !== RUN_FORMAT) fail(`Expected format "${RUN_FORMAT}" in run.json, got ${isObject(json) ? JSON.stringify(json.format) : 'something else'}`);
  if (!isCount(json.version) || json.version < 1) fail(`Expected a format version number, got ${JSON.stringify(json.version)}`);
  if (!isObject(json.config)) fail('run.json has no config');
  let run: RunJson;
  try {
    run = restoreRun(json as unknown as RunJson, json.version);
  } catch (error) {
    fail(errorMessage(error));
  }
  const { config } = run;
  const problems = validateConfig(config);
  if (problems.length > 0) fail(`The run's settings are invalid: ${problems.join('; ')}`);
  if (!isCount(run.step)) fail(`Expected a step count, got ${JSON.stringify(run.step)}`);

  const tensorBytes = files['tensors.bin'] ?? fail('tensors.bin is missing');
  const imageBytes = files['images.bin'] ?? fail('images.bin is missing');
  let tensorOffset = 0;
  const readTensors = (refs: unknown, what: string): TensorData[] => {
    if (!Array.isArray(refs)) fail(`Expected a list of tensors for ${what}`);
    return refs.map((ref: unknown) => {
      if (!isObject(ref) || typeof ref.name !== 'string' || !Array.isArray(ref.shape) || !ref.shape.every(isCount)) fail(`A tensor of ${what} has no valid name and shape`);
      const size = (ref.shape as number[]).reduce((a, b) => a * b, 1);
      const end = tensorOffset + size * 4;
      if (end > tensorBytes.byteLength) fail(`tensors.bin is too short: ${what} needs ${end} bytes, the file has ${tensorBytes.byteLength}`);
      // slice copies, which also aligns the floats.
      const values = new Float32Array(tensorBytes.slice(tensorOffset, end).buffer);
      tensorOffset = end;
      if (!values.every(Number.isFinite)) fail(`Tensor ${ref.name} of ${what} holds NaN or infinite values`);
      return { name: ref.name, shape: ref.shape as number[], values };
    });
  };
  if (!isObject(run.tensors) || !isObject(run.tensors.networks) || !isObject(run.tensors.optimizers)) fail('run.json has no tensor index');
  const networks: GanState['networks'] = Object.fromEntries(networksOf(config.model).map((n) => [n, readTensors(run.tensors.networks[n], n)]));
  const optimizers = { g: readTensors(run.tensors.optimizers.g, 'the generator optimiser'), d: readTensors(run.tensors.optimizers.d, 'the discriminator optimiser') };
  if (tensorOffset !== tensorBytes.byteLength) fail(`tensors.bin has ${tensorBytes.byteLength - tensorOffset} bytes more than its index describes`);

  const readImage = (ref: unknown, what: string): RgbaImage => {
    if (!isObject(ref) || !isCount(ref.width) || !isCount(ref.height) || !isCount(ref.offset) || ref.width === 0 || ref.height === 0) fail(`${what} has no valid size`);
    const end = (ref.offset as number) + (ref.width as number) * (ref.height as number) * 4;
    if (end > imageBytes.byteLength) fail(`images.bin is too short for ${what}`);
    return { width: ref.width as number, height: ref.height as number, data: new Uint8ClampedArray(imageBytes.slice(ref.offset as number, end).buffer) };
  };
  const readNamed = (list: unknown, what: string): NamedImage[] => {
    if (!Array.isArray(list)) fail(`Expected a list of ${what} images`);
    return list.map((item: unknown, i) => {
      if (!isObject(item) || typeof item.name !== 'string') fail(`${what} image ${i + 1} has no name`);
      return { name: item.name, image: readImage(item.image, `${what} image ${item.name}`) };
    });
  };
  if (!isObject(run.data) || typeof run.data.source !== 'string') fail('run.json has no image sets');
  const content = readNamed(run.data.content, 'content');
  const style = readNamed(run.data.style, 'style');
  if (content.length === 0 || style.length === 0) fail(`Expected images in both sets, got ${content.length} content and ${style.length} style`);
  const evaluation = run.data.evaluation;
  const readList = (list: unknown, what: string) => (Array.isArray(list) ? list.map((r, i) => readImage(r, `${what} ${i + 1}`)) : fail(`Expected a list of ${what}`));

  const history = run.history;
  const isPoint = (p: unknown) => isObject(p) && typeof p.step === 'number' && LOSS_NAMES.every((n) => typeof p[n] === 'number');
  if (!isObject(history) || !isCount(history.bucket) || history.bucket < 1 || !Array.isArray(history.points) || !Array.isArray(history.pending)) fail('The loss history is missing or malformed');
  if (![...history.points, ...history.pending].every(isPoint)) fail('The loss history has a point without a step and every loss');

  const isScore = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
  const quality = run.quality ?? [];
  if (!Array.isArray(quality) || !quality.every((q) => isObject(q) && isCount(q.step) && isScore(q.swd) && isScore(q.psnr))) fail('The quality scores are malformed');

  if (!Array.isArray(run.previews)) fail('Expected a list of previews');
  const previews: PreviewReport[] = run.previews.map((p, i) => {
    if (!isObject(p) || !isCount(p.step) || !Array.isArray(p.aToB) || !Array.isArray(p.bToA)) fail(`Preview ${i + 1} is malformed`);
    const pairs = (list: { input: ImageRef; output: ImageRef }[]) => list.map((pair) => ({ input: readImage(pair?.input, `preview ${i + 1}`), output: readImage(pair?.output, `preview ${i + 1}`) }));
    return { step: p.step, ...(p.psnr ? { psnr: p.psnr } : {}), aToB: pairs(p.aToB), bToA: pairs(p.bToA) };
  });

  return {
    name: typeof run.name === 'string' ? run.name : 'Imported run',
    savedAt: typeof run.savedAt === 'string' ? run.savedAt : new Date(0).toISOString(),
    config,
    state: { stepCount: run.step, networks, optimizers },
    history: { bucket: history.bucket, points: history.points, pending: history.pending },
    previews,
    quality: quality.map(({ step, swd, psnr }) => ({ step, ...(swd !== undefined ? { swd } : {}), ...(psnr !== undefined ? { psnr } : {}) })),
    data: {
      source: run.data.source,
      content,
      style,
      ...(evaluation ? { evaluation: { inputs: readList(evaluation.inputs, 'held-out photos'), targets: readList(evaluation.targets, 'held-out targets') } } : {}),
    },
  };
}
