import { useCallback, useEffect, useRef, useState } from 'react';
import type { Direction } from '../../core/gan/state';
import { copyImage } from '../../core/data/copyImage';
import type { RgbaImage } from '../../core/data/pixels';
import type { BackendName } from '../../worker/backends/backendReport';
import { DecoderClient } from '../../worker/decode/decoderClient';
import type { ExportedGenerators } from '../../worker/training/protocol';
import { StylizeClient } from '../../worker/stylize/stylizeClient';
import { readModelFiles } from '../runs/runFiles';
import { errorMessage } from '../../shared/errorMessage';

export type ModelSource = 'trained' | 'imported';

export interface StylizeResult {
  name: string;
  direction: Direction;
  input: RgbaImage;
  output: RgbaImage;
  ms: number;
}


/**
 * Runs generators on new photos in their own worker, so stylizing never waits on training. The
 * trained generators are fetched fresh from the training worker on every use; an imported one
 * stays until replaced.
 */
export function useStylizer(exportTrained: () => Promise<ExportedGenerators>, backend: BackendName | undefined) {
  const client = useRef<StylizeClient | null>(null);
  const decoder = useRef<DecoderClient | null>(null);
  const [imported, setImported] = useState<string | null>(null);
  const [result, setResult] = useState<StylizeResult | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const stylizer = () => (client.current ??= new StylizeClient());
  useEffect(
    () => () => {
      client.current?.dispose();
      decoder.current?.dispose();
    },
    [],
  );

  const loadTrained = useCallback(async () => {
    const generators = await exportTrained();
    for (const [direction, artifacts] of Object.entries(generators) as [Direction, ExportedGenerators[Direction]][]) {
      if (artifacts) await stylizer().load(direction, artifacts, backend ?? 'wasm');
    }
  }, [exportTrained, backend]);

  /** An imported generator takes the A→B slot; it is validated by loading it before it replaces anything. */
  const importGenerator = useCallback(
    async (files: File[]) => {
      setBusy('Loading the generator…');
      setProblem(null);
      try {
        const artifacts = await readModelFiles(files);
        await stylizer().load('imported', artifacts, backend ?? 'wasm');
        setImported(files.map((f) => f.name).join(' + '));
      } catch (error) {
        setProblem(`That generator could not be used: ${errorMessage(error)}`);
      } finally {
        setBusy(null);
      }
    },
    [backend],
  );

  const stylize = useCallback(
    async (file: File, options: { source: ModelSource; direction: Direction; maxSide: number }) => {
      setBusy(`Stylizing ${file.name}…`);
      setProblem(null);
      try {
        const slot = options.source === 'imported' ? 'imported' : options.direction;
        if (options.source === 'trained') await loadTrained();
        const [decoded] = await (decoder.current ??= new DecoderClient()).decode([{ name: file.name, blob: file }], { maxSide: options.maxSide });
        if (!decoded.ok) throw new Error(`${file.name} ${decoded.reason}`);
        const reply = await stylizer().stylize(slot, copyImage(decoded.image));
        setResult({ name: file.name, direction: options.direction, input: decoded.image, output: reply.image, ms: reply.ms });
      } catch (error) {
        setProblem(errorMessage(error));
      } finally {
        setBusy(null);
      }
    },
    [loadTrained],
  );

  /** Raw output of the trained generator, for tests that compare it with an exported copy. */
  const predictTrained = useCallback(
    async (direction: Direction, input: Float32Array, shape: [number, number, number, number]) => {
      await loadTrained();
      return (await stylizer().predict(direction, input, shape)).output;
    },
    [loadTrained],
  );

  return { imported, result, busy, problem, importGenerator, stylize, predictTrained };
}
