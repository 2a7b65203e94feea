import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { NamedImage, RunData, SavedRun } from '../core/persist/runArchive';
import type { RgbaImage } from '../core/data/pixels';
import type { TrainingConfig } from '../core/config';
import type { GanState } from '../core/gan/state';
import { isChunked, joinState, splitState, type ChunkedState } from './chunkedState';
import { restoreRun, RUN_FORMAT_VERSION, storedVersion } from '../core/persist/restore';

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
export type Checkpoint = Pick<SavedRun, 'savedAt' | 'config' | 'state' | 'history' | 'previews' | 'quality'>;
/**
 * A checkpoint as stored, with the format version it was written in (absent before version 2).
 * Its state's values are in separate records (see chunkedState.ts), and so are its previews
 * (`previews` is then their count); older ones hold them inline.
 */
type StoredCheckpoint = Omit<Checkpoint, 'state' | 'previews'> & { version?: number; state: GanState | ChunkedState; previews: Checkpoint['previews'] | number };
type StoredPreview = Checkpoint['previews'][number];

/** A run's images are stored one per record, so no single write is big enough to stall the page. */
type ImageKey = [runId: string, part: string, index: number];
interface ImagesMeta {
  source: string;
  content: number;
  style: number;
  bytes: number;
}
type ImageRecord = NamedImage | RgbaImage | ImagesMeta;

interface StudioDB extends DBSchema {
  runs: { key: string; value: RunSummary };
  /** Keyed by run id; the state's chunks by `${runId}/state/${index}`, previews by `${runId}/preview/${index}`. */
  checkpoints: { key: string; value: StoredCheckpoint | Float32Array[] | StoredPreview };
  images: { key: ImageKey; value: ImageRecord };
}

const PARTS = ['content', 'style', 'evalInputs', 'evalTargets'] as const;
/**
 * Bytes of weights per stored record: IndexedDB copies each value on the page's thread as it is
 * put. Putting 1 MB took the page 16 ms of work (60–80 ms beside a training worker on every core).
 */
const STATE_CHUNK_BYTES = 1 << 18;
// Zero-padded, so key order (which getAll follows) is chunk order.
const partKey = (id: string, part: 'state' | 'preview', index: number) => `${id}/${part}/${String(index).padStart(6, '0')}`;
const partRange = (id: string, part: 'state' | 'preview') => IDBKeyRange.bound(`${id}/${part}/`, `${id}/${part}/\uffff`);

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
  private constructor(
    private readonly db: IDBPDatabase<StudioDB>,
    private readonly stateChunkBytes: number,
  ) {}

  static async open(name = 'gan-style-studio', stateChunkBytes = STATE_CHUNK_BYTES): Promise<RunStore> {
    const db = await openDB<StudioDB>(name, 1, {
      upgrade(database) {
        database.createObjectStore('runs', { keyPath: 'id' });
        database.createObjectStore('checkpoints');
        database.createObjectStore('images');
      },
    });
    return new RunStore(db, stateChunkBytes);
  }

  /** Saved runs, most recently saved first. */
  async list(): Promise<RunSummary[]> {
    const runs = await this.db.getAll('runs');
    return runs.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  /** Stores a run's images; done once, when the run starts, a few at a time. */
  async saveImages(id: string, data: RunData): Promise<void> {
    const meta: ImagesMeta = { source: data.source, content: data.content.length, style: data.style.length, bytes: imageBytes(data) };
    const records: [ImageKey, ImageRecord][] = [];
    const lists: Record<(typeof PARTS)[number], ImageRecord[]> = {
      content: data.content,
      style: data.style,
      evalInputs: data.evaluation?.inputs ?? [],
      evalTargets: data.evaluation?.targets ?? [],
    };
    for (const part of PARTS) lists[part].forEach((record, i) => records.push([[id, part, i], record]));
    // One image per transaction: each put copies its pixels on the page's thread, and the page gets a turn between them.
    for (const [key, value] of records) await this.db.put('images', value, key);
    // Written last: a run whose images were cut short has no meta and counts as not saved.
    await this.db.put('images', meta, [id, 'meta', 0]);
  }

  private meta(id: string): Promise<ImagesMeta | undefined> {
    return this.db.get('images', [id, 'meta', 0]) as Promise<ImagesMeta | undefined>;
  }

  private async loadImages(id: string): Promise<RunData | null> {
    const range = IDBKeyRange.bound([id], [id, []]);
    const tx = this.db.transaction('images');
    const [keys, values] = await Promise.all([tx.store.getAllKeys(range), tx.store.getAll(range)]);
    const parts = new Map<string, ImageRecord[]>();
    keys.forEach(([, part, index], i) => {
      const list = parts.get(part) ?? [];
      list[index] = values[i];
      parts.set(part, list);
    });
    const source = (parts.get('meta')?.[0] as ImagesMeta | undefined)?.source;
    if (source === undefined) return null;
    const inputs = (parts.get('evalInputs') ?? []) as RgbaImage[];
    return {
      source,
      content: (parts.get('content') ?? []) as NamedImage[],
      style: (parts.get('style') ?? []) as NamedImage[],
      ...(inputs.length > 0 ? { evaluation: { inputs, targets: (parts.get('evalTargets') ?? []) as RgbaImage[] } } : {}),
    };
  }

  /** Replaces the run's checkpoint and summary together, so the list never points at a missing checkpoint. */
  async saveCheckpoint(run: { id: string; name: string; createdAt: string }, checkpoint: Checkpoint): Promise<RunSummary> {
    const images = await this.meta(run.id);
    if (!images) throw new Error(`The images of run ${run.name} were not saved`);
    const tx = this.db.transaction(['runs', 'checkpoints'], 'readwrite');
    const summary: RunSummary = {
      ...run,
      savedAt: checkpoint.savedAt,
      step: checkpoint.state.stepCount,
      config: checkpoint.config,
      source: images.source,
      images: { content: images.content, style: images.style },
      bytes: checkpointBytes(checkpoint) + images.bytes,
    };
    const { layout, chunks } = splitState(checkpoint.state, this.stateChunkBytes);
    const store = tx.objectStore('checkpoints');
    // One request after another, so each copies one chunk or preview in a task of its own, all in
    // one transaction (a dozen previews in one record took the page 60–80 ms to put while training).
    await store.delete(partRange(run.id, 'state'));
    await store.delete(partRange(run.id, 'preview'));
    for (const [index, chunk] of chunks.entries()) await store.put(chunk, partKey(run.id, 'state', index));
    for (const [index, preview] of checkpoint.previews.entries()) await store.put(preview, partKey(run.id, 'preview', index));
    await store.put({ ...checkpoint, state: layout, previews: checkpoint.previews.length, version: RUN_FORMAT_VERSION }, run.id);
    await tx.objectStore('runs').put(summary);
    await tx.done;
    return summary;
  }

  async load(id: string): Promise<(SavedRun & { id: string; createdAt: string }) | null> {
    const tx = this.db.transaction(['runs', 'checkpoints']);
    const checkpoints = tx.objectStore('checkpoints');
    const [summary, stored, chunks, storedPreviews, data] = await Promise.all([
      tx.objectStore('runs').get(id),
      checkpoints.get(id),
      checkpoints.getAll(partRange(id, 'state')),
      checkpoints.getAll(partRange(id, 'preview')),
      this.loadImages(id),
    ]);
    const checkpoint = stored as StoredCheckpoint | undefined;
    if (!summary || !checkpoint || !data) return null;
    const { config, history } = restoreRun(checkpoint, storedVersion(checkpoint));
    const { savedAt, quality } = checkpoint;
    let { previews } = checkpoint;
    if (typeof previews === 'number') {
      if (storedPreviews.length !== previews) throw new Error('The stored previews do not match their count');
      previews = storedPreviews as StoredPreview[];
    }
    const state = isChunked(checkpoint.state) ? joinState(checkpoint.state, chunks as Float32Array[][]) : checkpoint.state;
    return { id, createdAt: summary.createdAt, name: summary.name, savedAt, state, previews, quality, config, history: history as Checkpoint['history'], data };
  }

  async rename(id: string, name: string): Promise<void> {
    const tx = this.db.transaction('runs', 'readwrite');
    const summary = await tx.store.get(id);
    if (summary) await tx.store.put({ ...summary, name });
    await tx.done;
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'checkpoints', 'images'], 'readwrite');
    await Promise.all([
      tx.objectStore('runs').delete(id),
      tx.objectStore('checkpoints').delete(id),
      tx.objectStore('checkpoints').delete(partRange(id, 'state')),
      tx.objectStore('checkpoints').delete(partRange(id, 'preview')),
      tx.objectStore('images').delete(IDBKeyRange.bound([id], [id, []])),
      tx.done,
    ]);
  }

  close(): void {
    this.db.close();
  }
}
