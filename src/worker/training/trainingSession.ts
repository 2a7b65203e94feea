import { validateConfig, type TrainingConfig } from '../../core/config';
import { engineSupport } from '../../core/gpu/support';
import type { GanState } from '../../core/gan/state';
import { isOutOfMemory, stateIsFinite } from '../../core/gan/stateChecks';
import { saveLayersModel } from '../../core/persist/saveLayersModel';
import { Trainer } from '../../core/training/trainer';
import { errorMessage } from '../../shared/errorMessage';
import type { BackendControl } from '../backends/backendControl';
import type { ArgOf, ResultOf } from '../bridge/workerBridge';
import { FaultInjector } from './faults';
import { PROTOCOL_VERSION, type ExportedGenerators, type InitRequest, type Ready, type TrainingApi, type TrainingEvent } from './protocol';
import { Recovery, type RunState } from './recovery';
import { SessionError } from './sessionError';
import { ThreadTrial } from './threadTrial';
import type { ThreadTiming } from '../backends/wasmThreads';

export interface SessionOptions {
  progressIntervalMs: number;
  snapshotEveryMs: number;
  /** How often to ask the backend whether its device is still there; 0: only at progress events. */
  watchdogMs: number;
  yieldToEvents: () => Promise<void>;
  /** The clock thread counts are timed by (ms); performance.now by default. */
  now?: () => number;
}

/**
 * One training run inside the worker: validates `init`, selects a backend, drives the
 * {@link Trainer}, and survives faults through {@link Recovery}. Each command resolves with its
 * result or throws a {@link SessionError}; what happens between commands goes out through
 * `emit`, so it runs under Node too.
 */
export class TrainingSession {
  private init: InitRequest | null = null;
  private readonly run: RunState = { trainer: null, backend: null, lastState: null, wantRunning: false, switchingThreads: false };
  private readonly recovery: Recovery;
  private readonly faults = new FaultInjector();
  private watchdog: ReturnType<typeof setInterval> | null = null;
  /** wasm thread counts still being timed on this run (small images start on every core untimed). */
  private threadTrial: ThreadTrial | null = null;

  constructor(
    private readonly control: BackendControl,
    private readonly emit: (event: TrainingEvent) => void,
    private readonly options: SessionOptions,
  ) {
    this.recovery = new Recovery(this.run, control, emit, () => this.makeTrainer());
  }

  /** Runs one command once any recovery in progress is over. */
  async handle<K extends keyof TrainingApi>(command: K, arg: ArgOf<TrainingApi, K>): Promise<ResultOf<TrainingApi, K>> {
    await this.recovery.settled();
    return (this.commands[command] as (arg: ArgOf<TrainingApi, K>) => Promise<ResultOf<TrainingApi, K>>)(arg);
  }

  private readonly commands: { [K in keyof TrainingApi]: (arg: ArgOf<TrainingApi, K>) => Promise<ResultOf<TrainingApi, K>> } = {
    init: (request) => this.start(request),
    start: async () => this.runTrainer(),
    resume: async () => this.runTrainer(),
    pause: async () => {
      this.run.wantRunning = false;
      await this.trainer().pause();
    },
    step: async (count) => {
      this.run.wantRunning = false;
      this.trainer().stepOnce(Math.max(1, Math.floor(count)));
    },
    stop: async () => {
      this.run.wantRunning = false;
      const trainer = this.trainer();
      await trainer.pause();
      this.emit({ type: 'stopped', step: trainer.step });
      this.dispose();
    },
    update: async (settings) => this.trainer().updateSettings(settings),
    preview: async () => this.trainer().requestPreview(),
    export: () => this.exportGenerators(),
    checkpoint: async () => {
      const state = await this.trainer().captureState();
      if (!stateIsFinite(state)) throw new SessionError('diverged', 'Not saved: the weights hold NaN or infinite values');
      return state;
    },
    injectFault: async (fault) => this.faults.inject(fault, this.trainer(), this.control),
  };

  /** Ends the run and its device watchdog. */
  dispose(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.threadTrial = null;
    this.run.trainer?.dispose();
    this.run.trainer = null;
  }

  private trainer(): Trainer {
    if (!this.run.trainer) throw new SessionError('not-initialised', 'Send init before training commands');
    return this.run.trainer;
  }

  private runTrainer(): void {
    this.run.wantRunning = true;
    this.trainer().run();
  }

  private async start(request: InitRequest): Promise<Ready> {
    if (request.version !== PROTOCOL_VERSION) {
      throw new SessionError('protocol-mismatch', `Expected protocol version ${PROTOCOL_VERSION}, got ${request.version}: reload the page`);
    }
    const problems = validateConfig(request.config);
    if (problems.length > 0) throw new SessionError('bad-config', problems.join('; '));
    if (request.content.length === 0 || request.style.length === 0) {
      throw new SessionError('bad-data', `Expected images in both sets, got ${request.content.length} content and ${request.style.length} style`);
    }
    const previous = this.run.trainer;
    this.dispose();
    // Choosing threads may restart wasm, which needs the previous run's last tensors freed.
    await previous?.released();
    this.init = request;
    const selection = await this.control.select(request.backend, request.config);
    await this.control.activate(selection.chosen);
    if (selection.chosen === 'webgpu') selection.reason += `; ${engineNote(request.config, this.control.engineDevice() !== null)}`;
    this.run.backend = selection.chosen;
    const counts = selection.chosen === 'wasm' ? this.control.threadsToTime(request.config) : [];
    this.threadTrial = counts.length > 1 ? new ThreadTrial(counts) : null;
    const trainer = this.makeTrainer();
    this.run.trainer = trainer;
    if (request.resume) {
      try {
        await trainer.restore(request.resume);
      } catch (error) {
        this.dispose();
        throw new SessionError('bad-checkpoint', `The saved run does not fit its own settings: ${errorMessage(error)}`);
      }
    }
    this.run.lastState = await trainer.captureState();
    // A lost WebGL context can leave a readback pending forever, so no step ever reports the
    // loss: check the device on a timer too.
    if (this.options.watchdogMs > 0) {
      this.watchdog = setInterval(() => {
        const lost = this.control.lostReason();
        if (lost && this.run.trainer) void this.recovery.moveToNextBackend(new Error(lost));
      }, this.options.watchdogMs);
    }
    return { version: PROTOCOL_VERSION, backend: selection.chosen, selection, timesThreads: this.threadTrial !== null };
  }

  private makeTrainer(): Trainer {
    const init = this.init as InitRequest;
    const { run, recovery } = this;
    // A trainer abandoned on a lost device may still wake up later: its events are ignored.
    const current = () => run.trainer === trainer;
    const trainer: Trainer = new Trainer(
      { ...init, progressIntervalMs: this.options.progressIntervalMs, snapshotEveryMs: this.options.snapshotEveryMs, yieldToEvents: this.options.yieldToEvents, beforeStep: this.faults.beforeStep, gpu: this.control.engineDevice() },
      {
        progress: (report) => {
          if (!current()) return;
          // The pause of a thread restart lasts a moment and training goes on: the page keeps showing it running.
          const shown = run.switchingThreads && run.wantRunning && report.state === 'paused' ? { ...report, state: 'running' as const } : report;
          this.emit({ type: 'progress', report: shown });
          this.timeThreads(report.step, report.state === 'running');
          const lost = this.control.lostReason();
          if (lost && report.state !== 'failed') void recovery.moveToNextBackend(new Error(lost));
        },
        preview: (report) => {
          if (current()) this.emit({ type: 'preview', report });
        },
        fault: (error) => {
          if (!current()) return;
          if (!isOutOfMemory(error)) {
            void recovery.moveToNextBackend(error);
            return;
          }
          const { resolution, batchSize } = init.config;
          void recovery.rollBack(
            'out-of-memory',
            (step) =>
              `Training stopped: ${run.backend} ran out of memory (${errorMessage(error)}). At ${resolution} px and batch ${batchSize} this model needs more memory than this device has: press Reset, then lower the resolution, the batch size or the filters. Training went back to step ${step}; nothing else was lost.`,
          );
        },
        diverged: (row) => {
          if (!current()) return;
          void recovery.rollBack('diverged', (step) => `Losses became NaN or infinite at step ${row.step}; training paused and went back to step ${step}, the last good snapshot. Lower the learning rates, then resume.`);
        },
        // A snapshot taken after the device was lost, or of diverged weights, would hold garbage: keep the older one.
        snapshot: (state: GanState) => {
          if (current() && !this.control.lostReason() && stateIsFinite(state)) run.lastState = state;
        },
      },
    );
    return trainer;
  }

  /** Feeds the thread trial a progress report, and restarts wasm on the count it asks for. */
  private timeThreads(step: number, running: boolean): void {
    const trial = this.threadTrial;
    if (!trial || this.run.backend !== 'wasm') return;
    const action = trial.observe(step, running, (this.options.now ?? (() => performance.now()))());
    if (action.kind === 'wait') return;
    const config = (this.init as InitRequest).config;
    const report = (timings: ThreadTiming[], threads: number, refused: string | null) => {
      this.threadTrial = null;
      if (this.run.backend === 'wasm') this.emit({ type: 'threadsTimed', threads, ...this.control.threadsTimed(timings, config, refused) });
    };
    if (action.kind === 'switch') {
      // Where wasm cannot restart, the run keeps its count and the panel says why.
      void this.recovery.restartThreads(action.threads).then((refused) => refused && report(trial.timingsSoFar, trial.timingsSoFar[0].threads, refused));
      return;
    }
    this.threadTrial = null;
    const last = action.timings[action.timings.length - 1].threads;
    void (action.threads === last ? Promise.resolve(null) : this.recovery.restartThreads(action.threads)).then((refused) => report(action.timings, refused ? last : action.threads, refused));
  }

  private async exportGenerators(): Promise<ExportedGenerators> {
    const gan = this.trainer().model;
    await gan.syncNetworks();
    const generators: ExportedGenerators = {};
    for (const direction of ['AtoB', 'BtoA'] as const) {
      const model = gan.generator(direction);
      if (!model) continue;
      try {
        generators[direction] = await saveLayersModel(model);
      } catch (error) {
        throw new SessionError('export-failed', errorMessage(error));
      }
    }
    return generators;
  }
}

/** Which code trains on webgpu, in the words the backends panel shows. */
function engineNote(config: TrainingConfig, engineOpened: boolean): string {
  const support = engineSupport(config);
  if (!support.ok) return `tfjs-webgpu trains: ${support.reason}`;
  return engineOpened ? 'training runs on the WebGPU engine' : 'the WebGPU engine could not open a device, so tfjs-webgpu trains';
}
