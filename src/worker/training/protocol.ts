import type { LayersModelArtifacts } from '../../core/persist/layersModelFiles';
import type { TrainingConfig } from '../../core/config';
import type { Direction, GanState } from '../../core/gan/state';
import type { RgbaImage } from '../../core/data/pixels';
import type { PreviewReport, ProgressReport } from '../../core/training/trainer';
import type { BackendName, BackendReport } from '../backends/backendReport';

/** Bumped whenever a message changes shape; both sides refuse a mismatch. */
export const PROTOCOL_VERSION = 3;

export type BackendChoice = 'auto' | BackendName;

/** Settings that change on the next step, without a restart. */
export type LiveHyperparameters = Pick<TrainingConfig, 'learningRateG' | 'learningRateD' | 'lambdaCycle' | 'lambdaIdentity' | 'lambdaNce'>;

export interface InitCommand {
  type: 'init';
  version: number;
  config: TrainingConfig;
  backend: BackendChoice;
  /** Domain A and B images; their pixel buffers are transferred, not copied. */
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

export type ToWorker =
  | InitCommand
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; count: number }
  | { type: 'stop' }
  | { type: 'update'; hyperparameters: Partial<LiveHyperparameters> }
  | { type: 'preview' }
  | { type: 'export'; requestId: number }
  /** A consistent copy of everything learned, taken between two steps. */
  | { type: 'checkpoint'; requestId: number }
  /** Fault injection, for tests: the faults the app must survive, on demand. */
  | { type: 'injectFault'; fault: Fault };

/**
 * device-lost: the GPU device or WebGL context goes away, as in a driver reset.
 * nan: the weights become NaN, as a diverging run would make them.
 * out-of-memory: the next step fails to allocate.
 * crash: the worker dies with an uncaught error.
 */
export type Fault = 'device-lost' | 'nan' | 'out-of-memory' | 'crash';

/** One backend as `auto` judged it. */
export interface BackendCandidate extends BackendReport {
  /** Warm training-step time, when it was measured. */
  msPerStep?: number;
  /** Why it was or was not chosen, in plain words. */
  verdict: string;
}

export interface BackendSelection {
  chosen: BackendName;
  /** The user named this backend (it was not picked by `auto`). */
  forced: boolean;
  reason: string;
  candidates: BackendCandidate[];
}

/** A generator in the tfjs Layers format, as `model.save` hands it to an IOHandler. */
export type GeneratorArtifacts = LayersModelArtifacts;

/** The trained generators by direction; one-sided models (CUT, FastCUT) have only A→B. */
export type ExportedGenerators = Partial<Record<Direction, GeneratorArtifacts>>;

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

export type FromWorker =
  | { type: 'ready'; version: number; backend: BackendName; selection: BackendSelection }
  | { type: 'progress'; report: ProgressReport }
  | { type: 'preview'; report: PreviewReport }
  | { type: 'backendChanged'; from: BackendName; to: BackendName; reason: string; resumedAtStep: number; lostSteps: number }
  | { type: 'exported'; requestId: number; generators: ExportedGenerators }
  | { type: 'checkpoint'; requestId: number; state: GanState }
  /** Training went back to an earlier snapshot (after NaN losses or running out of memory). */
  | { type: 'rolledBack'; toStep: number }
  | { type: 'error'; code: ErrorCode; message: string; requestId?: number }
  | { type: 'stopped'; step: number };

/** Pixel buffers and weight data that can move between threads instead of being copied. */
export function transferablesOf(message: ToWorker | FromWorker): Transferable[] {
  const buffers = new Set<ArrayBuffer>();
  const addImages = (images: RgbaImage[]) => images.forEach((i) => i.data.buffer instanceof ArrayBuffer && buffers.add(i.data.buffer));
  const addState = (state: GanState) =>
    [...Object.values(state.networks).flat(), ...state.optimizers.g, ...state.optimizers.d].forEach((t) => t.values.buffer instanceof ArrayBuffer && buffers.add(t.values.buffer));
  if (message.type === 'init') {
    if (message.resume) addState(message.resume);
    addImages(message.content);
    addImages(message.style);
    addImages(message.evaluation?.inputs ?? []);
    addImages(message.evaluation?.targets ?? []);
  } else if (message.type === 'preview' && 'report' in message) {
    addImages([...message.report.aToB, ...message.report.bToA].flatMap((p) => [p.input, p.output]));
  } else if (message.type === 'checkpoint' && 'state' in message) {
    addState(message.state);
  } else if (message.type === 'exported') {
    Object.values(message.generators).forEach((g) => buffers.add(g.weightData));
  }
  return [...buffers];
}
