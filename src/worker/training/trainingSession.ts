import * as tf from '@tensorflow/tfjs';
import { validateConfig } from '../../core/config';
import type { GanModel } from '../../core/gan/ganModel';
import type { GanState } from '../../core/gan/state';
import { isOutOfMemory, stateIsFinite } from '../../core/gan/stateChecks';
import { Trainer } from '../../core/training/trainer';
import type { BackendName } from '../backends/backendReport';
import { PROTOCOL_VERSION, type BackendChoice, type BackendSelection, type ErrorCode, type ExportedGenerators, type Fault, type FromWorker, type GeneratorArtifacts, type InitCommand, type ToWorker } from './protocol';

/** What the session needs from the platform to pick, switch and (for tests) break backends. */
export interface BackendControl {
  select(choice: BackendChoice, config: InitCommand['config']): Promise<BackendSelection>;
  /** Makes `name` the active tfjs backend; throws when it cannot. */
  activate(name: BackendName): Promise<void>;
  /** Backends worth trying, in order, once `failed` stopped working. */
  fallbacks(failed: BackendName): BackendName[];
  /** Why the active backend can no longer be trusted (device/context lost), or null. */
  lostReason(): string | null;
  /** Fault injection: break the active backend as a lost GPU device would. */
  loseDevice(gan: GanModel): void;
}

export interface SessionOptions {
  progressIntervalMs: number;
  snapshotEveryMs: number;
  /** How often to ask the backend whether its device is still there; 0: only at progress events. */
  watchdogMs: number;
  yieldToEvents: () => Promise<void>;
}

class SessionError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One training run inside the worker: validates `init`, selects a backend, drives the
 * {@link Trainer}, and survives a lost GPU by moving to the next backend with the latest
 * snapshot of weights and optimizer state. Talks only through `emit`, so it runs under Node too.
 */
export class TrainingSession {
  private trainer: Trainer | null = null;
  private init: InitCommand | null = null;
  private backend: BackendName | null = null;
  private lastState: GanState | null = null;
  private wantRunning = false;
  private recovering: Promise<void> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly control: BackendControl,
    private readonly emit: (message: FromWorker) => void,
    private readonly options: SessionOptions,
  ) {}

  /** Handles one command; errors become `error` events, never exceptions. */
  async handle(command: ToWorker): Promise<void> {
    try {
      await this.recovering;
      await this.dispatch(command);
    } catch (error) {
      const code = error instanceof SessionError ? error.code : 'training-failed';
      this.emit({ type: 'error', code, message: message(error), ...('requestId' in command ? { requestId: command.requestId } : {}) });
    }
  }

  private async dispatch(command: ToWorker): Promise<void> {
    switch (command.type) {
      case 'init':
        return this.start(command);
      case 'start':
      case 'resume':
        this.wantRunning = true;
        return this.requireTrainer().run();
      case 'pause':
        this.wantRunning = false;
        return this.requireTrainer().pause();
      case 'step':
        this.wantRunning = false;
        return this.requireTrainer().stepOnce(Math.max(1, Math.floor(command.count)));
      case 'stop': {
        this.wantRunning = false;
        const trainer = this.requireTrainer();
        await trainer.pause();
        this.emit({ type: 'stopped', step: trainer.step });
        this.dispose();
        return;
      }
      case 'update':
        return this.requireTrainer().updateHyperparameters(command.hyperparameters);
      case 'preview':
        return this.requireTrainer().requestPreview();
      case 'export':
        return this.exportGenerators(command.requestId);
      case 'checkpoint': {
        const state = await this.requireTrainer().captureState();
        if (!stateIsFinite(state)) throw new SessionError('diverged', 'Not saved: the weights hold NaN or infinite values');
        this.emit({ type: 'checkpoint', requestId: command.requestId, state });
        return;
      }
      case 'injectFault':
        return this.inject(command.fault);
      default:
        throw new SessionError('bad-command', `Unknown command ${JSON.stringify((command as { type?: unknown }).type)}`);
    }
  }

  /** Ends the run and its device watchdog. */
  dispose(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.trainer?.dispose();
    this.trainer = null;
  }

  private requireTrainer(): Trainer {
    if (!this.trainer) throw new SessionError('not-initialised', 'Send init before training commands');
    return this.trainer;
  }

  private async start(command: InitCommand): Promise<void> {
    if (command.version !== PROTOCOL_VERSION) {
      throw new SessionError('protocol-mismatch', `Expected protocol version ${PROTOCOL_VERSION}, got ${command.version}: reload the page`);
    }
    const problems = validateConfig(command.config);
    if (problems.length > 0) throw new SessionError('bad-config', problems.join('; '));
    if (command.content.length === 0 || command.style.length === 0) {
      throw new SessionError('bad-data', `Expected images in both sets, got ${command.content.length} content and ${command.style.length} style`);
    }
    this.dispose();
    this.init = command;
    const selection = await this.control.select(command.backend, command.config);
    await this.control.activate(selection.chosen);
    this.backend = selection.chosen;
    this.trainer = this.makeTrainer();
    if (command.resume) {
      try {
        await this.trainer.restore(command.resume);
      } catch (error) {
        this.dispose();
        throw new SessionError('bad-checkpoint', `The saved run does not fit its own settings: ${message(error)}`);
      }
    }
    this.lastState = await this.trainer.snapshot();
    // A lost WebGL context can leave a readback pending forever, so no step ever reports the
    // loss: check the device on a timer too.
    if (this.options.watchdogMs > 0) {
      this.watchdog = setInterval(() => {
        const lost = this.control.lostReason();
        if (lost && this.trainer) void this.recover(new Error(lost));
      }, this.options.watchdogMs);
    }
    this.emit({ type: 'ready', version: PROTOCOL_VERSION, backend: selection.chosen, selection });
  }

  private makeTrainer(): Trainer {
    const init = this.init as InitCommand;
    // A trainer abandoned on a lost device may still wake up later: its events are ignored.
    const current = () => this.trainer === trainer;
    const trainer: Trainer = new Trainer(
      {
        config: init.config,
        content: init.content,
        style: init.style,
        previewEvery: init.previewEvery,
        previewCount: init.previewCount,
        qualityEvery: init.qualityEvery,
        evaluation: init.evaluation,
        progressIntervalMs: this.options.progressIntervalMs,
        snapshotEveryMs: this.options.snapshotEveryMs,
        yieldToEvents: this.options.yieldToEvents,
      },
      {
        progress: (report) => {
          if (!current()) return;
          this.emit({ type: 'progress', report });
          const lost = this.control.lostReason();
          if (lost && report.state !== 'failed') void this.recover(new Error(lost));
        },
        preview: (report) => {
          if (current()) this.emit({ type: 'preview', report });
        },
        fault: (error) => {
          if (!current()) return;
          if (!isOutOfMemory(error)) {
            void this.recover(error);
            return;
          }
          const { resolution, batchSize } = init.config;
          void this.rollBack(
            'out-of-memory',
            (step) =>
              `Training stopped: ${this.backend} ran out of memory (${message(error)}). At ${resolution} px and batch ${batchSize} this model needs more memory than this device has: press Reset, then lower the resolution, the batch size or the filters. Training went back to step ${step}; nothing else was lost.`,
          );
        },
        diverged: (row) => {
          if (!current()) return;
          void this.rollBack(
            'diverged',
            (step) => `Losses became NaN or infinite at step ${row.step}; training paused and went back to step ${step}, the last good snapshot. Lower the learning rates, then resume.`,
          );
        },
        // A snapshot taken after the device was lost, or of diverged weights, would hold garbage: keep the older one.
        snapshot: (state) => {
          if (current() && !this.control.lostReason() && stateIsFinite(state)) this.lastState = state;
        },
      },
    );
    return trainer;
  }

  /** Moves training to the next working backend, from the last good snapshot. */
  private recover(error: unknown): Promise<void> {
    return this.exclusively(() => this.moveToNextBackend(error));
  }

  /** Runs one recovery at a time; commands wait for it (see `handle`), and a second fault during it is absorbed. */
  private exclusively(task: () => Promise<void>): Promise<void> {
    this.recovering ??= task().finally(() => {
      this.recovering = null;
    });
    return this.recovering;
  }

  private async moveToNextBackend(error: unknown): Promise<void> {
    const from = this.backend as BackendName;
    const failedAt = this.trainer?.step ?? 0;
    const state = this.lastState;
    const old = this.trainer;
    this.trainer = null;
    try {
      old?.dispose();
    } catch {
      // A lost device may refuse even to free its memory; nothing more to save there.
    }
    if (!state) throw new SessionError('training-failed', `Training failed on ${from} before any state was saved: ${message(error)}`);
    for (const to of this.control.fallbacks(from)) {
      try {
        await this.control.activate(to);
        const trainer = this.makeTrainer();
        await trainer.restore(state);
        this.trainer = trainer;
        this.backend = to;
        this.emit({
          type: 'backendChanged',
          from,
          to,
          reason: message(error),
          resumedAtStep: state.stepCount,
          lostSteps: Math.max(0, failedAt - state.stepCount),
        });
        if (this.wantRunning) trainer.run();
        return;
      } catch {
        continue;
      }
    }
    this.emit({ type: 'error', code: 'no-backend', message: `Training failed on ${from} (${message(error)}) and no other backend could take over` });
  }

  /**
   * Goes back to the last good snapshot on the same backend and stays paused, with the reason:
   * for faults that another backend would not fix (NaN losses, running out of memory).
   */
  private rollBack(code: ErrorCode, describe: (step: number) => string): Promise<void> {
    return this.exclusively(async () => {
      this.wantRunning = false;
      const old = this.trainer;
      this.trainer = null;
      old?.dispose();
      // `start` takes the first snapshot before any step runs, so there is always one.
      const state = this.lastState as GanState;
      const trainer = this.makeTrainer();
      await trainer.restore(state);
      this.trainer = trainer;
      this.emit({ type: 'rolledBack', toStep: state.stepCount });
      this.emit({ type: 'error', code, message: describe(state.stepCount) });
    });
  }

  private inject(fault: Fault): void {
    const trainer = this.requireTrainer();
    if (fault === 'device-lost') this.control.loseDevice(trainer.network);
    else if (fault === 'nan') {
      const weight = trainer.network.generator('AtoB')?.weights[0];
      if (!weight) throw new SessionError('bad-command', 'This model has no A→B generator to break');
      weight.write(tf.fill(weight.shape as number[], NaN));
    } else if (fault === 'out-of-memory') trainer.failNextStep(new Error('Out of memory (simulated): failed to allocate a tensor'));
    else throw new SessionError('bad-command', `The ${fault} fault is injected by the worker itself, not the session`);
  }

  private async exportGenerators(requestId: number): Promise<void> {
    const gan = this.requireTrainer().network;
    const save = async (model: tf.LayersModel): Promise<GeneratorArtifacts> => {
      let saved: GeneratorArtifacts | null = null;
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
      if (!saved) throw new SessionError('export-failed', `Saving ${model.name} produced nothing`);
      return saved;
    };
    const generators: ExportedGenerators = {};
    for (const direction of ['AtoB', 'BtoA'] as const) {
      const model = gan.generator(direction);
      if (model) generators[direction] = await save(model);
    }
    this.emit({ type: 'exported', requestId, generators });
  }
}
