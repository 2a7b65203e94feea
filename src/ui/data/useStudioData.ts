import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunData } from '../../core/persist/runArchive';
import type { RgbaImage } from '../../core/data/pixels';
import { buildDemos, type DemoTask, type SampleManifest } from '../../core/demos/demos';
import { FILTER_NAMES, type FilterName } from '../../core/demos/filters';
import { DecoderClient } from '../../worker/decode/decoderClient';
import type { NamedBlob } from './collectFiles';
import { mergeImages, type ImageItem, type ImageSetState, type Problem } from './mergeImages';
import { errorMessage } from '../../shared/errorMessage';

export type Side = 'content' | 'style';
export type DataSource = FilterName | 'own';

export type { ImageItem, ImageSetState, Problem } from './mergeImages';

/** Longest side kept after decoding: room for 256 px training with its 1.12× crops. */
export const DECODE_MAX_SIDE = 320;
/** Images per set; beyond it the first ones are kept and the rest reported. */
export const SET_CAP = 1000;

const empty: ImageSetState = { items: [], problems: [] };

async function fetchBlobs(names: string[]): Promise<NamedBlob[]> {
  return Promise.all(
    names.map(async (name) => {
      const response = await fetch(`samples/photos/${name}`);
      if (!response.ok) throw new Error(`could not load samples/photos/${name} (${response.status})`);
      return { name, blob: await response.blob() };
    }),
  );
}

/**
 * The two image sets (content = domain A, style = domain B) and where they came from: a bundled
 * demo (photos, and other photos through a known filter, plus held-out pairs for scoring) or the
 * user's own files. Decoding happens in a worker; bad files are reported, never fatal.
 */
export function useStudioData() {
  const decoder = useRef<DecoderClient | null>(null);
  const nextId = useRef(1);
  const demos = useRef<DemoTask[] | null>(null);
  // Bumped whenever the sets are replaced, so a demo still loading cannot overwrite newer sets.
  const generation = useRef(0);
  const [source, setSource] = useState<DataSource>('oil');
  const [sets, setSets] = useState<Record<Side, ImageSetState>>({ content: empty, style: empty });
  // The latest sets, for the cap check when files arrive (outside of rendering).
  const setsNow = useRef(sets);
  useEffect(() => {
    setsNow.current = sets;
  }, [sets]);
  const [evaluation, setEvaluation] = useState<{ inputs: RgbaImage[]; targets: RgbaImage[] } | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const getDecoder = () => (decoder.current ??= new DecoderClient());
  useEffect(
    () => () => {
      decoder.current?.dispose();
      decoder.current = null;
    },
    [],
  );

  const toItems = (results: Awaited<ReturnType<DecoderClient['decode']>>, filtered: boolean): { items: ImageItem[]; problems: Problem[] } => ({
    items: results.flatMap((r) => (r.ok ? [{ id: nextId.current++, name: r.name, image: filtered && r.filtered ? r.filtered : r.image }] : [])),
    problems: results.flatMap((r) => (r.ok ? [] : [{ name: r.name, reason: r.reason }])),
  });

  const loadDemo = useCallback(async (id: FilterName) => {
    const mine = ++generation.current;
    setLoading('Loading the sample photos…');
    setLoadError(null);
    try {
      if (!demos.current) {
        const response = await fetch('samples/manifest.json');
        if (!response.ok) throw new Error(`could not load samples/manifest.json (${response.status})`);
        demos.current = buildDemos((await response.json()) as SampleManifest);
      }
      const demo = demos.current.find((d) => d.id === id);
      if (!demo) throw new Error(`no demo called ${id}`);
      const [content, style, heldOut] = await Promise.all([fetchBlobs(demo.content), fetchBlobs(demo.style), fetchBlobs(demo.heldOut)]);
      const dec = getDecoder();
      const [a, b, h] = await Promise.all([
        dec.decode(content, { maxSide: DECODE_MAX_SIDE }),
        dec.decode(style, { maxSide: DECODE_MAX_SIDE, filter: id }),
        dec.decode(heldOut, { maxSide: DECODE_MAX_SIDE, filter: id }),
      ]);
      if (mine !== generation.current) return;
      setSets({ content: toItems(a, false), style: toItems(b, true) });
      const pairs = h.flatMap((r) => (r.ok && r.filtered ? [{ input: r.image, target: r.filtered }] : []));
      setEvaluation({ inputs: pairs.map((p) => p.input), targets: pairs.map((p) => p.target) });
    } catch (error) {
      setLoadError(`The demo could not be loaded: ${errorMessage(error)}`);
    } finally {
      if (mine === generation.current) setLoading(null);
    }
  }, []);

  /** The sets of a saved run, as they were when it was trained. */
  const restore = useCallback((data: RunData) => {
    generation.current += 1;
    setLoading(null);
    setLoadError(null);
    setSource(FILTER_NAMES.includes(data.source as FilterName) ? (data.source as FilterName) : 'own');
    const items = (list: RunData['content']) => list.map((i) => ({ id: nextId.current++, name: i.name, image: i.image }));
    setSets({ content: { items: items(data.content), problems: [] }, style: { items: items(data.style), problems: [] } });
    setEvaluation(data.evaluation ?? null);
  }, []);

  const choose = useCallback(
    (next: DataSource) => {
      setSource(next);
      if (next === 'own') {
        generation.current += 1;
        setSets({ content: empty, style: empty });
        setEvaluation(null);
      } else void loadDemo(next);
    },
    [loadDemo],
  );

  const addFiles = useCallback(async (side: Side, files: File[]) => {
    if (files.length === 0) return;
    setLoading(`Reading ${files.length} file${files.length === 1 ? '' : 's'}…`);
    try {
      const remaining = Math.max(0, SET_CAP - setsNow.current[side].items.length);
      const results = await getDecoder().decode(
        files.map((file) => ({ name: file.webkitRelativePath || file.name, blob: file })),
        { maxSide: DECODE_MAX_SIDE, limit: { remaining, cap: SET_CAP } },
      );
      const decoded = toItems(results, false);
      const notes = results.flatMap((r) => (r.ok ? r.notes.map((reason) => ({ name: r.name, reason })) : []));
      setSets((current) => {
        const other = side === 'content' ? 'style' : 'content';
        return { ...current, [side]: mergeImages(current[side], current[other], other, decoded.items, [...decoded.problems, ...notes], SET_CAP) };
      });
    } finally {
      setLoading(null);
    }
  }, []);

  const remove = useCallback((side: Side, id: number) => {
    setSets((current) => ({ ...current, [side]: { ...current[side], items: current[side].items.filter((i) => i.id !== id) } }));
  }, []);

  const clear = useCallback((side: Side) => setSets((current) => ({ ...current, [side]: empty })), []);

  return { source, choose, sets, evaluation, loading, loadError, addFiles, remove, clear, loadDemo, restore };
}
