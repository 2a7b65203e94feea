import { zipSync } from 'fflate';
import type { TrainingConfig } from '../config';
import { networksOf, type GanState, type QualityPoint, type TensorData } from '../gan/state';
import type { RgbaImage } from '../data/pixels';
import type { LossHistoryState } from '../training/lossHistory';
import type { PreviewPair, PreviewReport } from '../training/reports';
import { RUN_FORMAT_VERSION } from './restore';

/** Written into every run file; a reader refuses other formats and newer versions (see unpackRun.ts, restore.ts). */
export const RUN_FORMAT = 'gan-style-studio-run';

export interface NamedImage {
  name: string;
  image: RgbaImage;
}

/** The images a run trains on, so it can continue anywhere. */
export interface RunData {
  /** A demo's id, or 'own'. */
  source: string;
  content: NamedImage[];
  style: NamedImage[];
  evaluation?: { inputs: RgbaImage[]; targets: RgbaImage[] };
}

/** A whole run: enough to show its curves and previews again and to continue training it. */
export interface SavedRun {
  name: string;
  /** ISO time of the checkpoint. */
  savedAt: string;
  config: TrainingConfig;
  state: GanState;
  history: LossHistoryState;
  previews: PreviewReport[];
  /** SWD and PSNR over training; absent in runs saved before they were measured. */
  quality?: QualityPoint[];
  data: RunData;
}

/** A run file that cannot be used; the message says what is wrong with it. */
export class RunFileError extends Error {
  override name = 'RunFileError';
}

export interface TensorRef {
  name: string;
  shape: number[];
}
export interface ImageRef {
  width: number;
  height: number;
  /** Byte offset into images.bin. */
  offset: number;
}

/** run.json: everything but the bulk numbers, which live in tensors.bin and images.bin. */
export interface RunJson {
  format: string;
  version: number;
  name: string;
  savedAt: string;
  step: number;
  config: TrainingConfig;
  history: LossHistoryState;
  quality?: QualityPoint[];
  tensors: { networks: Record<string, TensorRef[]>; optimizers: { g: TensorRef[]; d: TensorRef[] } };
  previews: { step: number; psnr?: PreviewReport['psnr']; aToB: { input: ImageRef; output: ImageRef }[]; bToA: { input: ImageRef; output: ImageRef }[] }[];
  data: { source: string; content: { name: string; image: ImageRef }[]; style: { name: string; image: ImageRef }[]; evaluation?: { inputs: ImageRef[]; targets: ImageRef[] } };
}

/** Appends byte arrays into one, handing out offsets. */
class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  add(bytes: Uint8Array): number {
    const offset = this.length;
    this.parts.push(bytes);
    this.length += bytes.byteLength;
    return offset;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }
}

/** The run as the files of its archive: run.json, tensors.bin (float32) and images.bin (RGBA). */
export function packRun(run: SavedRun): Record<string, Uint8Array> {
  const tensors = new ByteWriter();
  const images = new ByteWriter();
  const tensorRefs = (list: TensorData[]): TensorRef[] =>
    list.map((t) => {
      tensors.add(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));
      return { name: t.name, shape: t.shape };
    });
  const imageRef = (image: RgbaImage): ImageRef => ({
    width: image.width,
    height: image.height,
    offset: images.add(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength)),
  });
  const pairs = (list: PreviewPair[]) => list.map((p) => ({ input: imageRef(p.input), output: imageRef(p.output) }));
  const networks = Object.fromEntries(networksOf(run.config.model).map((n) => [n, tensorRefs(run.state.networks[n] ?? [])]));
  const json: RunJson = {
    format: RUN_FORMAT,
    version: RUN_FORMAT_VERSION,
    name: run.name,
    savedAt: run.savedAt,
    step: run.state.stepCount,
    config: run.config,
    history: run.history,
    quality: run.quality ?? [],
    tensors: { networks, optimizers: { g: tensorRefs(run.state.optimizers.g), d: tensorRefs(run.state.optimizers.d) } },
    previews: run.previews.map((p) => ({ step: p.step, ...(p.psnr ? { psnr: p.psnr } : {}), aToB: pairs(p.aToB), bToA: pairs(p.bToA) })),
    data: {
      source: run.data.source,
      content: run.data.content.map((i) => ({ name: i.name, image: imageRef(i.image) })),
      style: run.data.style.map((i) => ({ name: i.name, image: imageRef(i.image) })),
      ...(run.data.evaluation ? { evaluation: { inputs: run.data.evaluation.inputs.map(imageRef), targets: run.data.evaluation.targets.map(imageRef) } } : {}),
    },
  };
  return { 'run.json': new TextEncoder().encode(JSON.stringify(json)), 'tensors.bin': tensors.bytes(), 'images.bin': images.bytes() };
}

/** A run as one .zip (tensors and images compressed lightly: they are mostly noise to deflate). */
export function encodeRunZip(run: SavedRun): Uint8Array {
  return zipSync(packRun(run), { level: 1 });
}
