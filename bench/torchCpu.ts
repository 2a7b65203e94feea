/**
 * The same steps in PyTorch on this machine's CPU, for bench:browser to set beside its own: the
 * scale/ package (which trains the app's exact networks and losses, checked by its parity tests)
 * timed by `python -m scale.bench` on one thread and on every core. Runs alternate one, every,
 * every, one, so that the machine's drift over a minute falls on both sides alike.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { makeConfig, type ModelKind } from '../src/core/config';
import { median } from './args';

export interface TorchTimes {
  version: string;
  /** Every core: the thread count of the `many` side. */
  cores: number;
  /** Median ms per step (per side, the median of its two alternated runs' medians), keyed `${model}${px}`. */
  steps: Record<string, { one: number; many: number }>;
}

/** The interpreter the scale tests use (scripts/test-scale.js): Debian's, or PYTHON. */
const python = process.env.PYTHON ?? '/usr/bin/python3';

/** Why PyTorch cannot be timed here, or null when it can. */
export function torchMissing(): string | null {
  if (!existsSync(python)) return `no ${python}`;
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return `${python} has no torch (npm run test:scale installs Debian's python3-torch)`;
  return null;
}

/** Writes the default settings of a model and size where `python -m scale.bench` reads them; returns the file's path. */
function writeSettings(dir: string, model: ModelKind, resolution: number): string {
  const settings = join(dir, `${model}-${resolution}.json`);
  writeFileSync(settings, JSON.stringify({ name: `${model}-${resolution}`, config: makeConfig({ model, resolution }) }));
  return settings;
}

/** Times each model and size on one thread and on every core (run torchMissing first). */
export function torchOnTheseCores(root: string, runs: { model: ModelKind; resolution: number; steps: number }[]): TorchTimes {
  const cores = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'bench-torch-'));
  try {
    const version = execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
    const steps: TorchTimes['steps'] = {};
    for (const { model, resolution, steps: count } of runs) {
      const settings = writeSettings(dir, model, resolution);
      const times = { one: [] as number[], many: [] as number[] };
      for (const side of ['one', 'many', 'many', 'one'] as const) {
        const output = execFileSync(python, ['-m', 'scale.bench', settings, '--steps', String(count), '--threads', String(side === 'one' ? 1 : cores)], { cwd: root, encoding: 'utf8' });
        const found = / ms=([\d.]+) /.exec(output);
        if (!found) throw new Error(`scale.bench printed no ms=:\n${output}`);
        times[side].push(Number(found[1]));
      }
      steps[`${model}${resolution}`] = { one: median(times.one), many: median(times.many) };
    }
    return { version, cores, steps };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A PyTorch model kept warm to be timed in turns beside ours (`python -m scale.bench --turns`). */
export interface TorchTurns {
  /** Trains for `seconds` on `threads` threads; the median ms per step. */
  turn(threads: number, seconds: number): Promise<number>;
  close(): void;
}

/** Starts PyTorch on one model and size, warmed up (run torchMissing first). */
export async function torchTurns(root: string, model: ModelKind, resolution: number): Promise<TorchTurns> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-torch-'));
  const settings = writeSettings(dir, model, resolution);
  const child = spawn(python, ['-m', 'scale.bench', settings, '--turns'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const close = () => {
    child.stdin.end();
    rmSync(dir, { recursive: true, force: true });
  };
  const next = async (what: string) => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`scale.bench --turns ended before ${what}`);
    return value as string;
  };
  try {
    if ((await next('it was ready')) !== 'ready') throw new Error('scale.bench --turns did not print ready');
  } catch (error) {
    close();
    throw error;
  }
  return {
    async turn(threads, seconds) {
      child.stdin.write(`${threads} ${seconds}\n`);
      const ms = Number(await next('a turn\'s median'));
      if (!(ms > 0)) throw new Error(`scale.bench --turns printed no median`);
      return ms;
    },
    close,
  };
}
