import { useCallback, useRef, useState } from 'react';
import tfBundleUrl from '@tensorflow/tfjs/dist/tf.min.js?url';
import { generatorBundle } from '../../core/export/generatorBundle';
import layersModule from '../../core/networks/layers/customLayers.js?raw';
import type { RunData, SavedRun } from '../../core/persist/runArchive';
import type { ModelKind, TrainingConfig } from '../../core/config';
import type { Direction } from '../../core/gan/state';
import type { BackendChoice } from '../../worker/backends/backendControl';
import { downloadBytes, slug } from '../download';
import { scalePackageZip } from './scalePackage';
import { modelLabel } from '../settings';
import type { useTrainer, RunIdentity } from '../useTrainer';
import type { useStudioData } from '../data/useStudioData';
import { readRunZip, zipFiles, zipRun } from './runFiles';
import type { useAutosave } from './useAutosave';
import type { useRuns } from './useRuns';
import { errorMessage } from '../../shared/errorMessage';

interface Deps {
  trainer: ReturnType<typeof useTrainer>;
  data: ReturnType<typeof useStudioData>;
  runs: ReturnType<typeof useRuns>;
  autosave: ReturnType<typeof useAutosave>;
  backend: BackendChoice;
  previewEvery: number;
  setConfig: (config: TrainingConfig) => void;
}


/** A fresh identity for a run, named after its task and size so the list of runs reads well. */
export function newRunIdentity(label: string, model: ModelKind, resolution: number): RunIdentity {
  const now = new Date();
  const when = now.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return { id: crypto.randomUUID(), name: `${label} · ${modelLabel(model)} · ${resolution} px · ${when}`, createdAt: now.toISOString() };
}

/** Starting, resuming, importing and exporting runs and generators: the glue between the hooks. */
export function useRunActions({ trainer, data, runs, autosave, backend, previewEvery, setConfig }: Deps) {
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const currentData = useRef<RunData | null>(null);

  const attempt = useCallback(async (what: string, action: () => Promise<void>) => {
    setBusy(what);
    try {
      await action();
    } catch (error) {
      setProblems((list) => [...list, errorMessage(error)]);
    } finally {
      setBusy(null);
    }
  }, []);

  /** Called when a new run starts: its images are stored once and kept for run downloads. */
  const begin = useCallback(
    (identity: RunIdentity, runData: RunData) => {
      currentData.current = runData;
      autosave.beginRun(identity, runData);
    },
    [autosave],
  );

  const continueRun = useCallback(
    async (saved: SavedRun, identity: RunIdentity, stored: boolean) => {
      await trainer.resumeSaved(saved, identity, { backend, previewEvery });
      currentData.current = saved.data;
      data.restore(saved.data);
      setConfig(saved.config);
      if (stored) autosave.adoptRun(identity, saved.state.stepCount);
      else autosave.beginRun(identity, saved.data);
      setProblems([]);
    },
    [trainer, backend, previewEvery, data, setConfig, autosave],
  );

  const resumeStored = useCallback(
    (id: string) =>
      attempt('Loading the saved run…', async () => {
        const saved = await runs.store?.load(id);
        if (!saved) throw new Error('That saved run is gone or incomplete; it may have been deleted in another tab.');
        await continueRun(saved, { id: saved.id, name: saved.name, createdAt: saved.createdAt }, true);
      }),
    [attempt, runs.store, continueRun],
  );

  const importRun = useCallback(
    (file: File) =>
      attempt(`Reading ${file.name}…`, async () => {
        const saved = await readRunZip(file);
        await continueRun(saved, { id: crypto.randomUUID(), name: `${saved.name} (imported)`, createdAt: new Date().toISOString() }, false);
      }),
    [attempt, continueRun],
  );

  /** Downloads a saved run (`id`) or the run in progress, as `fileName` or named after it and its step. */
  const downloadRun = useCallback(
    (id?: string, fileName?: string) =>
      attempt('Packing the run…', async () => {
        let saved: SavedRun;
        if (id) {
          const stored = await runs.store?.load(id);
          if (!stored) throw new Error('That saved run is gone or incomplete.');
          saved = stored;
        } else {
          if (!trainer.run || !currentData.current) throw new Error('Nothing is training');
          saved = { name: trainer.run.name, ...(await trainer.checkpoint()), data: currentData.current };
        }
        downloadBytes(fileName ?? `${slug(saved.name)}-step-${saved.state.stepCount}.zip`, await zipRun(saved), 'application/zip');
      }),
    [attempt, runs.store, trainer],
  );

  const downloadScalePackage = useCallback(
    () => attempt('Packing the scale package…', async () => downloadBytes('scale.zip', await scalePackageZip(), 'application/zip')),
    [attempt],
  );

  const downloadGenerator = useCallback(
    (direction: Direction) =>
      attempt('Exporting the generator…', async () => {
        const artifacts = (await trainer.exportGenerators())[direction];
        if (!artifacts) throw new Error(`This model has no ${direction} generator`);
        // tfjs's own bundle, served beside the app: the page it goes with must work offline.
        const response = await fetch(tfBundleUrl);
        if (!response.ok) throw new Error(`tf.min.js could not be read from this site (${response.status})`);
        const base = `generator-${direction}`;
        const { view, run } = trainer;
        const files = generatorBundle({
          artifacts,
          base,
          info: { title: `${direction === 'AtoB' ? 'Content → style' : 'Style → content'} generator`, description: `${run?.name ?? modelLabel(view.model ?? 'cyclegan')} · step ${view.step}` },
          layersModule,
          tfBundle: new Uint8Array(await response.arrayBuffer()),
        });
        downloadBytes(`${base}.zip`, await zipFiles(files), 'application/zip');
      }),
    [attempt, trainer],
  );

  /** Renames a saved run; the run in progress keeps the new name in its later autosaves. */
  const renameRun = useCallback(
    (id: string, name: string) =>
      attempt('Renaming…', async () => {
        if (trainer.run?.id === id) trainer.renameRun(name);
        await runs.rename(id, name);
      }),
    [attempt, trainer, runs],
  );

  /** After the worker died: a fresh worker continues from the run's autosave, and the student is told. */
  const recoverFromCrash = useCallback(
    async (identity: RunIdentity, why: string) => {
      const saved = await runs.store?.load(identity.id).catch(() => null);
      if (!saved) {
        trainer.addNotice(`The training worker crashed (${why}) before the run was autosaved: press Reset and train again.`);
        return;
      }
      try {
        await continueRun(saved, identity, true);
        trainer.addNotice(`The training worker crashed (${why}). A new one took over from the autosave at step ${saved.state.stepCount}: press Resume to go on.`);
      } catch (error) {
        trainer.addNotice(`The training worker crashed (${why}) and could not be restarted (${errorMessage(error)}). Your run is in Saved runs.`);
      }
    },
    [runs.store, trainer, continueRun],
  );

  const removeRun = useCallback((id: string) => attempt('Deleting…', () => runs.remove(id)), [attempt, runs]);

  return { problems, dismissProblems: () => setProblems([]), busy, begin, resumeStored, importRun, downloadRun, downloadScalePackage, downloadGenerator, renameRun, removeRun, recoverFromCrash };
}
