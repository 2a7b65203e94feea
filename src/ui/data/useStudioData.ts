import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunData } from '../../core/checkpoint/runArchive';
import type { RgbaImage } from '../../core/data/pixels';
import { buildDemos, type DemoTask } from '../../core/demos';
import { FILTER_NAMES, type FilterName } from '../../core/filters/filters';
import { DecoderClient } from '../../worker/decoderClient';
import { expandArchives, type NamedBlob } from './collectFiles';

export type Side = 'content' | 'style';
export type DataSource = FilterName | 'own';

export interface ImageItem {
  id: number;
  name: string;
  image: RgbaImage;
}

export interface Problem {
  name: string;
  reason: string;
}

export interface ImageSetState {
  items: ImageItem[];
  problems: Problem[];
}

/** Longest side kept after decoding: room for 256 px training with its 1.12× crops. */
export const DECODE_MAX_SIDE = 320;
/** Images per set; beyond it the first ones are kept and the rest reported. */
export const SET_CAP = 1000;

const empty: ImageSetState = { items: [], problems: [] };

/** Cheap content fingerprint (FNV-1a over a pixel sample and the size) for duplicate detection. */
function fingerprint(image: RgbaImage): string {
  let h = 0x811c9dc5;
  const stride = Math.max(4, Math.floor(image.data.length / 4096) * 4);
  for (let i = 0; i < image.data.length; i += stride) h = Math.imul(h ^ image.data[i] ^ (image.data[i + 1] << 8) ^ (image.data[i + 2] << 16), 16777619);
  return `${image.width}x${image.height}:${(h >>> 0).toString(16)}`;
}

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
        demos.current = buildDemos(((await response.json()) as { photos: string[] }).photos);
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
      setLoadError(`The demo could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
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
      const collected = await expandArchives(files);
      const results = await getDecoder().decode(collected.files, { maxSide: DECODE_MAX_SIDE });
      const decoded = toItems(results, false);
      setSets((current) => {
        const other = side === 'content' ? 'style' : 'content';
        const seen = new Map(current[side].items.map((item) => [fingerprint(item.image), item.name]));
        const elsewhere = new Map(current[other].items.map((item) => [fingerprint(item.image), item.name]));
        const problems: Problem[] = [...collected.problems, ...decoded.problems];
        const added: ImageItem[] = [];
        for (const item of decoded.items) {
          const print = fingerprint(item.image);
          if (seen.has(print)) problems.push({ name: item.name, reason: `is a duplicate of ${seen.get(print)} (skipped)` });
          else if (current[side].items.length + added.length >= SET_CAP) problems.push({ name: item.name, reason: `is beyond the limit of ${SET_CAP} images per set (skipped)` });
          else {
            if (elsewhere.has(print)) problems.push({ name: item.name, reason: `is also in the ${other} set as ${elsewhere.get(print)} (kept)` });
            seen.set(print, item.name);
            added.push(item);
          }
        }
        return { ...current, [side]: { items: [...current[side].items, ...added], problems: [...current[side].problems, ...problems] } };
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
