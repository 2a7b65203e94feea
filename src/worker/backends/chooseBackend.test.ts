import { describe, expect, it } from 'vitest';
import type { BackendName, BackendReport } from './backendReport';
import { chooseBackend, fallbackOrder } from './chooseBackend';

const report = (name: BackendName, ok: boolean, software = false, detail = ok ? 'fine' : 'missing'): BackendReport => ({ name, ok, software, detail, ms: 1 });
const timesFrom = (times: Partial<Record<BackendName, number>>) => {
  const asked: BackendName[] = [];
  const time = async (name: BackendName) => {
    asked.push(name);
    const t = times[name];
    if (t === undefined) throw new Error(`no time for ${name}`);
    return t;
  };
  return { time, asked };
};

describe('chooseBackend (auto)', () => {
  it('on a GPU-less machine skips the software adapters and cpu, and picks wasm without timing anything', async () => {
    const { time, asked } = timesFrom({ wasm: 700 });
    const sel = await chooseBackend('auto', [report('webgpu', true, true), report('webgl', true, true), report('wasm', true), report('cpu', true)], time);
    expect(sel.chosen).toBe('wasm');
    expect(asked).toEqual([]);
    expect(sel.reason).toBe('wasm is the only fast candidate: the others are unavailable or known to be slower here');
    expect(sel.candidates.map((c) => c.verdict)).toEqual([
      'skipped: a software GPU adapter, typically 15–30× slower than wasm',
      'skipped: a software GPU adapter, typically 15–30× slower than wasm',
      'chosen: the only fast candidate here (not timed)',
      'skipped: wasm works and is always faster than plain JavaScript',
    ]);
  });

  it('with a real GPU times every candidate and picks the fastest, not the first', async () => {
    const { time } = timesFrom({ webgpu: 90, webgl: 40, wasm: 700 });
    const sel = await chooseBackend('auto', [report('webgpu', true), report('webgl', true), report('wasm', true), report('cpu', true)], time);
    expect(sel.chosen).toBe('webgl');
    expect(sel.reason).toBe('webgl trained fastest (40 ms per step) of webgpu, webgl, wasm');
    expect(sel.candidates.find((c) => c.name === 'webgpu')?.verdict).toBe('slower: 90 ms per step');
  });

  it('a backend whose step throws is reported and passed over', async () => {
    const { time } = timesFrom({ webgl: 900, wasm: 500 });
    const sel = await chooseBackend('auto', [report('webgpu', true), report('webgl', true), report('wasm', true), report('cpu', false)], time);
    expect(sel.chosen).toBe('wasm');
    expect(sel.candidates[0].verdict).toBe('failed a training step: no time for webgpu');
    expect(sel.candidates[1].verdict).toBe('slower: 900 ms per step');
    expect(sel.candidates[3].verdict).toBe('unavailable: missing');
  });

  it('falls back to a software GPU when nothing else works', async () => {
    const { time } = timesFrom({});
    const sel = await chooseBackend('auto', [report('webgpu', false), report('webgl', true, true), report('wasm', false), report('cpu', false)], time);
    expect(sel.chosen).toBe('webgl');
    expect(sel.reason).toBe('webgl is the only usable backend');
  });

  it('throws a message naming every backend when none works', async () => {
    const { time } = timesFrom({});
    await expect(chooseBackend('auto', [report('webgpu', false), report('webgl', false), report('wasm', false), report('cpu', false)], time)).rejects.toThrow(
      'No tfjs backend works here: webgpu (unavailable: missing); webgl (unavailable: missing); wasm (unavailable: missing); cpu (unavailable: missing)',
    );
  });
});

describe('chooseBackend (forced)', () => {
  it('honours a working forced backend, even a software one, without timing', async () => {
    const { time, asked } = timesFrom({});
    const sel = await chooseBackend('webgl', [report('webgpu', true, true), report('webgl', true, true), report('wasm', true), report('cpu', true)], time);
    expect(sel).toMatchObject({ chosen: 'webgl', forced: true, reason: 'webgl was chosen by you' });
    expect(asked).toEqual([]);
  });

  it('explains when the forced backend is unavailable and lets auto choose', async () => {
    const { time } = timesFrom({ webgl: 400, wasm: 600 });
    const sel = await chooseBackend('webgpu', [report('webgpu', false, false, 'no WebGPU adapter available'), report('webgl', true), report('wasm', true), report('cpu', true)], time);
    expect(sel.chosen).toBe('webgl');
    expect(sel.forced).toBe(false);
    expect(sel.reason).toBe('webgpu is unavailable (no WebGPU adapter available), so auto chose. webgl trained fastest (400 ms per step) of webgl, wasm');
  });
});

describe('fallbackOrder', () => {
  it('lists the working backends after the failed one', () => {
    const reports = [report('webgpu', true), report('webgl', false), report('wasm', true), report('cpu', true)];
    expect(fallbackOrder('webgpu', reports)).toEqual(['wasm', 'cpu']);
    expect(fallbackOrder('wasm', reports)).toEqual(['cpu']);
    expect(fallbackOrder('cpu', reports)).toEqual([]);
  });
});
