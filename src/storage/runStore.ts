import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RunData, SavedRun } from '../core/checkpoint/runArchive';
import type { TrainingConfig } from '../core/config';

/** What the list of saved runs shows, kept apart from the bulky checkpoint. */
export interface RunSummary {
  id: string;
  name: string;
  createdAt: string;
  savedAt: string;
  step: number;
  config: TrainingConfig;
  source: string;
  images: { content: number; style: number };
  /** Approximate bytes of the checkpoint and images. */
  bytes: number;
}

/** Everything of a run that changes as it trains. */
export type Checkpoint = Pick<SavedRun, 'savedAt' | 'config' | 'state' | 'history' | 'previews'>;

interface StudioDB extends DBSchema {
  runs: { key: string; value: RunSummary };
  checkpoints: { key: string; value: Checkpoint };
  images: { key: string; value: RunData };
}

const imageBytes = (data: RunData) =>
  [...data.content, ...data.style].reduce((n, i) => n + i.image.data.byteLength, 0) + [...(data.evaluation?.inputs ?? []), ...(data.evaluation?.targets ?? [])].reduce((n, i) => n + i.data.byteLength, 0);

function checkpointBytes(checkpoint: Checkpoint): number {
  const { state } = checkpoint;
  const tensors = [...Object.values(state.networks).flat(), ...state.optimizers.g, ...state.optimizers.d].reduce((n, t) => n + t.values.byteLength, 0);
  const previews = checkpoint.previews.flatMap((p) => [...p.aToB, ...p.bToA]).reduce((n, p) => n + p.input.data.byteLength + p.output.data.byteLength, 0);
  return tensors + previews;
}

/**
 * Saved runs in IndexedDB: the images of a run once, its latest checkpoint on every autosave.
 * Writes can fail with a QuotaExceededError when storage is full; callers decide what to say.
 */
export class RunStore {
  private constructor(private readonly db: IDBPDatabase<StudioDB>) {}

  static async open(name = 'gan-style-studio'): Promise<RunStore> {
    const db = await openDB<StudioDB>(name, 1, {
      upgrade(database) {
        database.createObjectStore('runs', { keyPath: 'id' });
        database.createObjectStore('checkpoints');
        database.createObjectStore('images');
      },
    });
    return new RunStore(db);
  }

  /** Saved runs, most recently saved first. */
  async list(): Promise<RunSummary[]> {
    const runs = await this.db.getAll('runs');
    return runs.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  /** Stores a run's images; done once, when the run starts. */
  async saveImages(id: string, data: RunData): Promise<void> {
    await this.db.put('images', data, id);
  }

  /** Replaces the run's checkpoint and summary together, so the list never points at a missing checkpoint. */
  async saveCheckpoint(run: { id: string; name: string; createdAt: string }, checkpoint: Checkpoint): Promise<RunSummary> {
    const tx = this.db.transaction(['runs', 'checkpoints', 'images'], 'readwrite');
    const data = await tx.objectStore('images').get(run.id);
    if (!data) throw new Error(`The images of run ${run.name} were not saved`);
    const summary: RunSummary = {
      ...run,
      savedAt: checkpoint.savedAt,
      step: checkpoint.state.stepCount,
      config: checkpoint.config,
      source: data.source,
      images: { content: data.content.length, style: data.style.length },
      bytes: checkpointBytes(checkpoint) + imageBytes(data),
    };
    await Promise.all([tx.objectStore('checkpoints').put(checkpoint, run.id), tx.objectStore('runs').put(summary), tx.done]);
    return summary;
  }

  async load(id: string): Promise<(SavedRun & { id: string; createdAt: string }) | null> {
    const tx = this.db.transaction(['runs', 'checkpoints', 'images']);
    const [summary, checkpoint, data] = await Promise.all([tx.objectStore('runs').get(id), tx.objectStore('checkpoints').get(id), tx.objectStore('images').get(id)]);
    if (!summary || !checkpoint || !data) return null;
    return { id, createdAt: summary.createdAt, name: summary.name, ...checkpoint, data };
  }

  async rename(id: string, name: string): Promise<void> {
    const tx = this.db.transaction('runs', 'readwrite');
    const summary = await tx.store.get(id);
    if (summary) await tx.store.put({ ...summary, name });
    await tx.done;
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'checkpoints', 'images'], 'readwrite');
    await Promise.all([tx.objectStore('runs').delete(id), tx.objectStore('checkpoints').delete(id), tx.objectStore('images').delete(id), tx.done]);
  }

  close(): void {
    this.db.close();
  }
}
