import type { LiveSettings, TrainingConfig } from '../../core/config';
import type { RgbaImage } from '../../core/data/pixels';
import type { Direction, GanState } from '../../core/gan/state';
import type { LayersModelArtifacts } from '../../core/persist/layersModelFiles';
import type { PreviewReport, ProgressReport } from '../../core/training/reports';
import type { BackendChoice, BackendSelection } from '../backends/backendControl';
import type { BackendName } from '../backends/backendReport';

/** Bumped whenever a message changes shape; both sides refuse a mismatch. */
export const PROTOCOL_VERSION = 4;

export interface InitRequest {
  version: number;
  config: TrainingConfig;
  backend: BackendChoice;
  /** Domain A (content) and B (style) images; their pixel buffers are transferred, not copied. */
  content: RgbaImage[];
  style: RgbaImage[];
  previewEvery: number;
  previewCount: number;
  /** Steps between SWD scores; 0 or absent: none. */
  qualityEvery?: number;
  /** Held-out photos and their known filtered versions: previews then carry a PSNR score. */
  evaluation?: { inputs: RgbaImage[]; targets: RgbaImage[] };
  /** Continue a saved run: its networks, optimiser state and step (checked against `config`). */
  resume?: GanState;
}

export interface Ready {
  version: number;
  backend: BackendName;
  selection: BackendSelection;
  /** The run times wasm's thread counts on itself first: a `threadsTimed` event follows. */
  timesThreads: boolean;
}

/**
 * device-lost: the GPU device or WebGL context goes away, as in a driver reset.
 * nan: the weights become NaN, as a diverging run would make them.
 * out-of-memory: the next step fails to allocate.
 * crash: the worker dies with an uncaught error.
 */
export type Fault = 'device-lost' | 'nan' | 'out-of-memory' | 'crash';

/** A generator in the tfjs Layers format, as `model.save` hands it to an IOHandler. */
export type GeneratorArtifacts = LayersModelArtifacts;

/** The trained generators by direction; one-sided models (CUT, FastCUT) have only A→B. */
export type ExportedGenerators = Partial<Record<Direction, GeneratorArtifacts>>;

/** What the training worker does when asked; each call resolves once it is done (or refused). */
export type TrainingApi = {
  init(request: InitRequest): Ready;
  start(_: void): void;
  pause(_: void): void;
  resume(_: void): void;
  step(count: number): void;
  stop(_: void): void;
  /** Settings that change on the next step, without a restart. */
  update(settings: LiveSettings): void;
  preview(_: void): void;
  /** The trained generators in the tfjs Layers format. */
  export(_: void): ExportedGenerators;
  /** A consistent copy of everything learned, taken between two steps. */
  checkpoint(_: void): GanState;
  /** Fault injection, for tests: the faults the app must survive, on demand. */
  injectFault(fault: Fault): void;
};

export type ErrorCode =
  | 'protocol-mismatch'
  | 'bad-command'
  | 'bad-config'
  | 'bad-data'
  | 'not-initialised'
  | 'no-backend'
  | 'training-failed'
  | 'diverged'
  | 'export-failed'
  | 'bad-checkpoint'
  | 'out-of-memory';

/** What the training worker reports on its own, between calls. */
export type TrainingEvent =
  | { type: 'progress'; report: ProgressReport }
  | { type: 'preview'; report: PreviewReport }
  | { type: 'backendChanged'; from: BackendName; to: BackendName; reason: string; resumedAtStep: number; lostSteps: number }
  /** The run timed wasm's thread counts on itself and goes on with the faster: what the backends panel now says of wasm. */
  | { type: 'threadsTimed'; threads: number; verdict: string; detail: string }
  /** Training went back to an earlier snapshot (after NaN losses or running out of memory). */
  | { type: 'rolledBack'; toStep: number }
  /** A failure no call is waiting for (NaN losses, out of memory, no backend left). */
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: 'stopped'; step: number };

const buffersOfImages = (images: readonly RgbaImage[]) => images.map((i) => i.data.buffer as ArrayBuffer);

/** The pixel buffers an init request moves to the worker. */
export function transferablesOfInit(request: InitRequest): Transferable[] {
  const { content, style, evaluation, resume } = request;
  return [...new Set([...buffersOfImages([...content, ...style, ...(evaluation?.inputs ?? []), ...(evaluation?.targets ?? [])]), ...(resume ? transferablesOfState(resume) : [])])];
}

/** The weight buffers of a learned state. */
export function transferablesOfState(state: GanState): Transferable[] {
  return [...new Set([...Object.values(state.networks).flat(), ...state.optimizers.g, ...state.optimizers.d].map((t) => t.values.buffer as ArrayBuffer))];
}

/** Preview images move to the page instead of being copied. */
export function transferablesOfEvent(event: TrainingEvent): Transferable[] {
  if (event.type !== 'preview') return [];
  return [...new Set(buffersOfImages([...event.report.aToB, ...event.report.bToA].flatMap((p) => [p.input, p.output])))];
}
