// The one place where saved runs (run files and runs stored in the browser) written by older
// versions are brought up to date, one numbered migration at a time, then rebuilt on top of the
// current defaults (as excalidraw's data/restore.ts does).
import { DEFAULT_CONFIG, NCE_DEFAULTS, type TrainingConfig } from '../config';

/** The version of saved runs this code writes; readers refuse newer ones. */
export const RUN_FORMAT_VERSION = 3;

/** The parts of a saved run that changed shape between versions, as read, before any check. */
export interface RestorableRun {
  config: Partial<TrainingConfig>;
  history: unknown;
}

interface Migration {
  /** The version this migration brings a run up to. */
  to: number;
  why: string;
  apply(run: RestorableRun): RestorableRun;
}

const MIGRATIONS: readonly Migration[] = [
  {
    to: 2,
    why: 'CUT and FastCUT arrived: every older run is a CycleGAN, and its loss history has no PatchNCE terms (read as 0)',
    apply: (run) => ({ ...run, config: { model: 'cyclegan', lambdaNce: NCE_DEFAULTS.fastcut, ...run.config }, history: withZeroLosses(run.history, ['nce', 'nceIdt']) }),
  },
  {
    to: 3,
    why: 'Generators start from the photo with a colour loss: every older run has the paper’s generator (its weights fit no other) and no colour loss, and its history no colour terms (read as 0)',
    apply: (run) => ({ ...run, config: { generatorStart: 'random', lambdaColour: 0, lambdaChange: 0, ...run.config }, history: withZeroLosses(run.history, ['colourG', 'colourF', 'changeG', 'changeF']) }),
  },
];

/** Adds losses a history predates, as 0, leaving anything malformed for the caller's checks to refuse. */
function withZeroLosses(history: unknown, names: string[]): unknown {
  if (typeof history !== 'object' || history === null) return history;
  const zero = Object.fromEntries(names.map((n) => [n, 0]));
  const points = (list: unknown) => (Array.isArray(list) ? list.map((p: unknown) => (typeof p === 'object' && p !== null ? { ...zero, ...p } : p)) : list);
  const h = history as { points?: unknown; pending?: unknown };
  return { ...h, points: points(h.points), pending: points(h.pending) };
}

/**
 * A saved run of `version` brought up to {@link RUN_FORMAT_VERSION}: each later migration in
 * turn, then the config rebuilt on top of the defaults so settings added since read as their
 * defaults. The caller validates the result.
 */
export function restoreRun<T extends RestorableRun>(run: T, version: number): Omit<T, 'config'> & { config: TrainingConfig } {
  if (version > RUN_FORMAT_VERSION) throw new Error(`This run was saved by a newer GAN Style Studio (format version ${version}; this page reads up to ${RUN_FORMAT_VERSION})`);
  let migrated: RestorableRun = run;
  for (const migration of MIGRATIONS) if (migration.to > version) migrated = migration.apply(migrated);
  return { ...run, history: migrated.history, config: { ...DEFAULT_CONFIG, ...migrated.config } };
}

/** The version of a run stored in the browser: stored runs carry it since version 2, and only version 1 lacked `model`. */
export function storedVersion(stored: { version?: number; config: Partial<TrainingConfig> }): number {
  return stored.version ?? (stored.config.model === undefined ? 1 : 2);
}
