import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../config';
import { CycleGan } from '../gan/cycleGan';
import { FastCut } from '../gan/fastCut';
import { LOSS_NAMES } from '../gan/state';
import { knownMappingTask } from '../data/syntheticScenes';
import { imageToTensor } from '../data/pixels';
import { registerCustomLayers } from '../networks/layers';
import { LossHistory } from '../training/lossHistory';
import { RUN_FORMAT_VERSION } from './restore';
import { encodeRunZip, RunFileError, type SavedRun } from './runArchive';
import { decodeRunZip } from './unpackRun';

const config = makeConfig({ resolution: 32, genFilters: 4, genResBlocks: 1, discFilters: 4, discLayers: 2, poolSize: 0 });
const task = knownMappingTask({ train: 3, test: 0 }, 36);
const batch = (i: number) => imageToTensor(task.content[i], 32).expandDims(0) as tf.Tensor4D;
const styleBatch = (i: number) => imageToTensor(task.style[i], 32).expandDims(0) as tf.Tensor4D;

let run: SavedRun;

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
  const gan = new CycleGan(config);
  const history = new LossHistory(4);
  for (let i = 0; i < 3; i++) {
    const losses = await gan.step(batch(i), styleBatch(i));
    history.append([{ step: i + 1, losses }]);
  }
  run = {
    name: 'test run',
    savedAt: '2026-11-25T06:00:00.000Z',
    config,
    state: await gan.getState(),
    history: history.state(),
    quality: [{ step: 1, swd: 812.5, psnr: 9.5 }, { step: 3, swd: 640.25 }],
    previews: [{ step: 3, psnr: { generator: 12.5, identity: 7 }, aToB: [{ input: task.content[0], output: task.style[0] }], bToA: [{ input: task.style[1], output: task.content[1] }] }],
    data: { source: 'own', content: task.content.map((image, i) => ({ name: `a${i}.png`, image })), style: task.style.map((image, i) => ({ name: `b${i}.png`, image })) },
  };
  gan.dispose();
});

/** The archive's files, changed by `edit`, zipped again. */
function tampered(edit: (files: Record<string, Uint8Array>, json: Record<string, unknown>) => void): Uint8Array {
  const files = unzipSync(encodeRunZip(run));
  const json = JSON.parse(strFromU8(files['run.json'])) as Record<string, unknown>;
  edit(files, json);
  if (files['run.json']) files['run.json'] = strToU8(JSON.stringify(json));
  return zipSync(files);
}

describe('run archive', () => {
  it('round-trips a run exactly, and the restored networks train on identically', async () => {
    const back = decodeRunZip(encodeRunZip(run));
    expect(back.name).toBe(run.name);
    expect(back.config).toEqual(run.config);
    expect(back.history).toEqual(run.history);
    expect(back.quality).toEqual(run.quality);
    expect(back.state.stepCount).toBe(3);
    for (const [saved, loaded] of [
      ...Object.entries(run.state.networks).flatMap(([n, list]) => (list ?? []).map((t, i) => [t, back.state.networks[n as keyof typeof back.state.networks]?.[i]])),
      ...run.state.optimizers.g.map((t, i) => [t, back.state.optimizers.g[i]]),
    ]) {
      if (!saved || !loaded) throw new Error('a tensor is missing after the round trip');
      expect(loaded.name).toBe(saved.name);
      expect(loaded.shape).toEqual(saved.shape);
      expect(Array.from(loaded.values)).toEqual(Array.from(saved.values));
    }
    expect(back.previews[0].psnr).toEqual(run.previews[0].psnr);
    expect(Array.from(back.previews[0].aToB[0].output.data)).toEqual(Array.from(run.previews[0].aToB[0].output.data));
    expect(back.data.content.map((i) => i.name)).toEqual(['a0.png', 'a1.png', 'a2.png']);
    expect(Array.from(back.data.style[2].image.data)).toEqual(Array.from(task.style[2].data));

    // Two networks restored from the same state take the same next step.
    const a = new CycleGan(config);
    const b = new CycleGan(config);
    await a.setState(run.state);
    await b.setState(back.state);
    const [la, lb] = [await a.step(batch(0), styleBatch(0)), await b.step(batch(0), styleBatch(0))];
    for (const name of LOSS_NAMES) expect(lb[name]).toBe(la[name]);
    a.dispose();
    b.dispose();
  });

  const malformed: [string, () => Uint8Array, RegExp][] = [
    ['not a zip at all', () => strToU8('hello, not a zip'), /not a readable \.zip/],
    ['a zip without run.json', () => zipSync({ 'notes.txt': strToU8('hi') }), /run\.json is missing/],
    ['run.json that is not JSON', () => zipSync({ ...unzipSync(encodeRunZip(run)), 'run.json': strToU8('{oops') }), /not valid JSON/],
    ['another format', () => tampered((_, json) => (json.format = 'something-else')), /Expected format "gan-style-studio-run"/],
    ['a newer version', () => tampered((_, json) => (json.version = RUN_FORMAT_VERSION + 1)), /newer GAN Style Studio/],
    ['an invalid config', () => tampered((_, json) => ((json.config as Record<string, unknown>).resolution = 30)), /multiple of 4/],
    ['a negative step', () => tampered((_, json) => (json.step = -1)), /Expected a step count/],
    ['missing weights', () => tampered((files) => delete files['tensors.bin']), /tensors\.bin is missing/],
    ['truncated weights', () => tampered((files) => (files['tensors.bin'] = files['tensors.bin'].slice(0, 100))), /tensors\.bin is too short/],
    ['extra weight bytes', () => tampered((files) => (files['tensors.bin'] = new Uint8Array([...files['tensors.bin'], 0, 0, 0, 0]))), /4 bytes more than its index/],
    [
      'NaN weights',
      () => tampered((files) => (files['tensors.bin'] = new Uint8Array(new Float32Array(files['tensors.bin'].length / 4).fill(NaN).buffer))),
      /NaN or infinite/,
    ],
    ['a tensor with a bad shape', () => tampered((_, json) => (((json.tensors as { networks: Record<string, { shape: unknown }[]> }).networks.genAB[0].shape = [-3]))), /no valid name and shape/],
    ['truncated images', () => tampered((files) => (files['images.bin'] = files['images.bin'].slice(0, 10))), /images\.bin is too short/],
    ['an empty style set', () => tampered((_, json) => ((json.data as Record<string, unknown>).style = [])), /Expected images in both sets/],
    ['a broken history', () => tampered((_, json) => ((json.history as Record<string, unknown>).points = [{ step: 1 }])), /loss history has a point/],
    ['a broken quality score', () => tampered((_, json) => (json.quality = [{ step: 1, swd: 'high' }])), /quality scores are malformed/],
    ['a broken preview', () => tampered((_, json) => (json.previews = [{ step: 'x' }])), /Preview 1 is malformed/],
  ];
  for (const [what, bytes, message] of malformed) {
    it(`rejects ${what} with a clear message`, () => {
      expect(() => decodeRunZip(bytes())).toThrow(RunFileError);
      expect(() => decodeRunZip(bytes())).toThrow(message);
    });
  }

  it('reads a version 1 file (before one-sided models) as the CycleGAN run it was, its new losses at 0', () => {
    const old = tampered((_, json) => {
      json.version = 1;
      const saved = json.config as Record<string, unknown>;
      delete saved.model;
      delete saved.lambdaNce;
      const history = json.history as { points: Record<string, unknown>[] };
      for (const p of history.points) {
        delete p.nce;
        delete p.nceIdt;
      }
    });
    const back = decodeRunZip(old);
    expect(back.config.model).toBe('cyclegan');
    expect(back.history.points.every((p) => p.nce === 0 && p.nceIdt === 0)).toBe(true);
    expect(back.history.points.map((p) => p.totalG)).toEqual(run.history.points.map((p) => p.totalG));
  });

  it('round-trips a FastCUT run, whose state holds the generator, discriminator and projection head', async () => {
    const fastConfig = { ...config, model: 'fastcut' as const };
    const gan = new FastCut(fastConfig);
    await gan.step(batch(0), styleBatch(0));
    const one = { ...run, config: fastConfig, state: await gan.getState(), previews: run.previews.map((p) => ({ ...p, bToA: [] })) };
    const back = decodeRunZip(encodeRunZip(one));
    expect(Object.keys(back.state.networks)).toEqual(['genAB', 'discB', 'nceHead']);
    expect(back.state.networks.nceHead?.map((t) => t.shape)).toEqual(one.state.networks.nceHead?.map((t) => t.shape));
    expect(back.previews[0].bToA).toEqual([]);
    const restored = new FastCut(fastConfig);
    await restored.setState(back.state);
    expect(restored.stepCount).toBe(1);
    gan.dispose();
    restored.dispose();
  });

  it('rejects a FastCUT file whose projection head is missing', () => {
    const fastConfig = { ...config, model: 'fastcut' as const };
    const files = unzipSync(encodeRunZip(run));
    const json = JSON.parse(strFromU8(files['run.json'])) as { config: unknown };
    json.config = fastConfig;
    files['run.json'] = strToU8(JSON.stringify(json));
    expect(() => decodeRunZip(zipSync(files))).toThrow(/Expected a list of tensors for nceHead/);
  });
});
