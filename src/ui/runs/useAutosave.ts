import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunData } from '../../core/persist/runArchive';
import type { Checkpoint, RunStore } from '../../storage/runStore';
import type { RunIdentity, TrainingView } from '../useTrainer';
import { autosaveDue, storageProblem } from './autosavePolicy';

export interface AutosaveStatus {
  savedStep: number | null;
  savedAt: string | null;
  problem: string | null;
}

interface Options {
  store: RunStore | null;
  run: RunIdentity | null;
  view: TrainingView;
  checkpoint: () => Promise<Checkpoint>;
  onSaved: () => void;
}

/**
 * Saves the running training to IndexedDB on pause and every few seconds or steps. A failed save
 * is reported and retried at the next chance; it never stops training.
 */
export function useAutosave({ store, run, view, checkpoint, onSaved }: Options) {
  const [status, setStatus] = useState<AutosaveStatus>({ savedStep: null, savedAt: null, problem: null });
  const last = useRef({ runId: '', step: -1, at: 0 });
  const saving = useRef(false);
  const images = useRef(new Map<string, Promise<void>>());

  /** Stores a new run's images once; checkpoints of that run wait for it. */
  const beginRun = useCallback(
    (identity: RunIdentity, data: RunData) => {
      if (!store) return;
      // After the click that started the run has been handled: the page answers first.
      const saved = new Promise((resolve) => setTimeout(resolve, 0)).then(() => store.saveImages(identity.id, data));
      saved.catch((error: unknown) => setStatus((s) => ({ ...s, problem: storageProblem(error) })));
      images.current.set(identity.id, saved);
    },
    [store],
  );

  /** A run that is already stored (resumed from this browser) needs no images saved. */
  const adoptRun = useCallback((identity: RunIdentity, step: number) => {
    images.current.set(identity.id, Promise.resolve());
    last.current = { runId: identity.id, step, at: performance.now() };
    setStatus({ savedStep: step, savedAt: null, problem: null });
  }, []);

  const save = useCallback(async () => {
    if (!store || !run || saving.current) return;
    saving.current = true;
    try {
      await images.current.get(run.id);
      const cp = await checkpoint();
      await store.saveCheckpoint(run, cp);
      last.current = { runId: run.id, step: cp.state.stepCount, at: performance.now() };
      setStatus({ savedStep: cp.state.stepCount, savedAt: cp.savedAt, problem: null });
      void navigator.storage?.persist?.();
      onSaved();
    } catch (error) {
      // Retry no sooner than the next due time.
      last.current = { ...last.current, runId: run.id, at: performance.now() };
      setStatus((s) => ({ ...s, problem: storageProblem(error) }));
    } finally {
      saving.current = false;
    }
  }, [store, run, checkpoint, onSaved]);

  useEffect(() => {
    if (!run) return;
    if (last.current.runId !== run.id) {
      last.current = { runId: run.id, step: -1, at: performance.now() };
      setStatus({ savedStep: null, savedAt: null, problem: null });
    }
    const due = () => autosaveDue({ phase: view.phase, step: view.step, now: performance.now(), lastStep: last.current.step, lastAt: last.current.at });
    if (due()) void save();
    // Progress may stop arriving (a slow step); check the clock on its own too.
    const timer = setInterval(() => due() && void save(), 2000);
    return () => clearInterval(timer);
  }, [run, view.phase, view.step, save]);

  return { status, beginRun, adoptRun, saveNow: save };
}
