/**
 * Training speed in real headless Chromium, per backend: median ms per CycleGAN step (default
 * config, batch 1) at 64 and 128 px in a bare tfjs loop inside a worker, the GFLOP/s that step
 * achieves beside the backend's own large-matmul GFLOP/s, then on the fastest backend the app's
 * loop (worker + protocol + data pipeline) over the bare loop (in alternate turns, see
 * appOverBare), main-thread long tasks while that loop trains (once the run has timed its wasm
 * threads), and on the studio page itself for 60 s at the Quick preset. Last, on that same
 * backend, CycleGAN, FastCUT and CUT side by side: ms per
 * step (on wasm the faster of one thread and every core, as the page picks) and tensor memory
 * (resident after warm-up, peak during a step) at 64 and 128 px. wasm's bare loops warm up for
 * up to 30 steps or 10 s first. First of all,
 * the bytes the built app downloads before its first training step.
 * The last lines sum it up for the wasm path: `cpu model=cyclegan px=64 ms=… fastcut_ms=… threads=…
 * kernels=… thread_gain_128=… app_over_bare=… long_tasks=…` (threads: the page's own choice;
 * thread_gain_128: wasm's one-thread build over its threaded build on every core, in alternate
 * turns, with PyTorch's one thread and every core in the same turns beside them;
 * long_tasks: the studio page's). Before them, the slowest kernels of one profiled 64 px step of
 * each model (tf.profile; a kernel that runs others, as the convolution gradients do, counts
 * their time too), and beside them the same steps in PyTorch on the same cores (bench/torchCpu.ts;
 * its `torch …` line: skipped, saying why, where Python has no torch).
 *   npm run bench:browser [-- --backends webgpu,webgl,wasm,wasm+threads,cpu --steps 5 --seconds 30 --studioSeconds 60]
 */
import { chromium, type Page } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { baseArgs, chromiumPath, gpuArgs } from '../e2e/chromium';
import type { ModelKind } from '../src/core/config';
import type { BackendName } from '../src/worker/backends/backendReport';
import { median } from './args';
import { bytesBeforeFirstStep, serveBuiltApp } from './pageBytes';
import { studioLongTasks } from './studioLongTasks';
import type { BareResult } from './page/messages';
import { fastestThreads } from '../src/worker/backends/wasmThreads';
import { torchMissing, torchOnTheseCores, torchTurns } from './torchCpu';

/** wasm's bare runs warm up for up to this long (or 30 steps) before they are timed: see BareRequest.warmupMs. */
const WASM_WARMUP_MS = 10_000;

const options = { backends: 'webgpu,webgl,wasm,wasm+threads,cpu', steps: '5', seconds: '30', studioSeconds: '60', port: '4180' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '') as keyof typeof options;
  if (!(key in options) || argv[i + 1] === undefined) throw new Error(`Unknown option ${argv[i]}; expected ${Object.keys(options).map((k) => `--${k}`).join(', ')}`);
  options[key] = argv[i + 1];
}
// 'wasm+threads' is wasm with its threaded build (the page is cross-origin isolated).
const backends = options.backends.split(',') as (BackendName | 'wasm+threads')[];
const steps = Number(options.steps);
const root = fileURLToPath(new URL('..', import.meta.url));
const vite = `${root}node_modules/vite/bin/vite.js`;

execFileSync(process.execPath, [vite, 'build', '--config', 'bench/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
const server = spawn(process.execPath, [vite, 'preview', '--config', 'bench/vite.config.ts', '--host', '127.0.0.1', '--port', options.port, '--strictPort'], { cwd: root, stdio: 'ignore' });
const url = `http://127.0.0.1:${options.port}/`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(url)).ok) break;
  } catch {
    if (i > 100) throw new Error(`the bench page server did not start at ${url}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** The wasm threads of a threaded run: one per core (see BareRequest). */
const everyCore = (threads: boolean) => (threads ? availableParallelism() : undefined);

/**
 * `turns` turns of each side, in the order given, then in reverse, and so on: the machine's
 * speed drifts by tens of percent within a minute, and this way the drift falls on every side
 * alike.
 */
async function inAlternateTurns<S>(turns: number, sides: readonly S[], run: (side: S) => Promise<void>): Promise<void> {
  for (let turn = 0; turn < Math.max(1, turns); turn++) {
    for (const side of turn % 2 === 0 ? sides : [...sides].reverse()) await run(side);
  }
}

/** Seconds of one turn of each build in wasmThreadGain: several 128 px steps. */
const GAIN_TURN_SECONDS = 5;

/**
 * The 128 px CycleGAN step on wasm's one-thread build over its threaded build on every core: both
 * loops kept warm in their workers and timed in alternate turns of GAIN_TURN_SECONDS, `seconds`
 * each in all; each side its median step. Where Python has torch, the same step in PyTorch on one
 * thread and on every core takes turns with them: this machine's cores run at speeds that swing
 * by up to half for tens of seconds, and so does any thread gain measured on it.
 */
async function wasmThreadGain(page: Page, seconds: number): Promise<{ gain: number; torchGain: number | null }> {
  const cores = availableParallelism();
  const torch = torchMissing() ? null : await torchTurns(root, 'cyclegan', 128);
  try {
    const times: Record<'one' | 'threaded', number[]> = { one: [], threaded: [] };
    const torchTimes: Record<'torch one' | 'torch every core', number[]> = { 'torch one': [], 'torch every core': [] };
    for (const side of ['one', 'threaded'] as const) {
      const threads = side === 'threaded';
      await page.evaluate(([name, request]) => window.bench.bareSlice(name, { slice: 'open', request }), [side, { backend: 'wasm' as const, resolution: 128, warmup: 2, warmupMs: WASM_WARMUP_MS, steps: 0, budgetMs: 0, threads, wasmThreads: everyCore(threads) }] as const);
    }
    const sides = torch ? (['one', 'threaded', 'torch one', 'torch every core'] as const) : (['one', 'threaded'] as const);
    await inAlternateTurns(Math.round(seconds / GAIN_TURN_SECONDS), sides, async (side) => {
      if (side === 'one' || side === 'threaded') {
        times[side].push(...(await page.evaluate(([name, ms]) => window.bench.bareSlice(name, { slice: 'run', ms }), [side, GAIN_TURN_SECONDS * 1000] as const)));
      } else {
        torchTimes[side].push(await torch!.turn(side === 'torch one' ? 1 : cores, GAIN_TURN_SECONDS));
      }
    });
    await page.evaluate(() => window.bench.closeLoops());
    const gain = median(times.one) / median(times.threaded);
    console.log(`
threads at 128 px (wasm, ${seconds} s each in alternate turns of ${GAIN_TURN_SECONDS} s): one thread ${median(times.one).toFixed(0)} ms/step (${times.one.length} steps), ${cores} threads ${median(times.threaded).toFixed(0)} ms/step (${times.threaded.length} steps), gain ${gain.toFixed(2)}`);
    if (!torch) return { gain, torchGain: null };
    const [one, many] = [median(torchTimes['torch one']), median(torchTimes['torch every core'])];
    console.log(`PyTorch in the same turns (median of its turns' medians): one thread ${one.toFixed(0)} ms/step, ${cores} threads ${many.toFixed(0)} ms/step, gain ${(one / many).toFixed(2)}`);
    return { gain, torchGain: one / many };
  } finally {
    torch?.close();
  }
}

/**
 * Seconds of one turn of the app's loop or the bare loop in appOverBare: as long as the app's
 * interval between snapshots (trainingHandlers.ts), which restarts when it resumes, so that its
 * turns pay for snapshots as often as an unbroken run does.
 */
const TURN_SECONDS = 10;

/**
 * The app's loop (worker, protocol, data pipeline, previews) over the bare loop at 64 px, each
 * trained for `seconds` in alternate turns of TURN_SECONDS (both kept warm in their workers
 * between turns). Each side is its total time over its total steps. The bare loop runs on the
 * threads the page chose.
 */
async function appOverBare(page: Page, backend: BackendName, seconds: number) {
  const started = await page.evaluate(([b]) => window.bench.appStart(b, 64, 3), [backend] as const);
  const pageThreads = started.threads > 0 ? started.threads : undefined;
  await page.evaluate((request) => window.bench.bareSlice('bare', { slice: 'open', request }), { backend, resolution: 64, warmup: 2, warmupMs: WASM_WARMUP_MS, steps: 0, budgetMs: 0, threads: true, wasmThreads: pageThreads });
  const app = { ms: 0, steps: 0, longTasks: [] as number[] };
  const bareSteps: number[] = [];
  await inAlternateTurns(Math.round(seconds / TURN_SECONDS), ['app', 'bare'] as const, async (side) => {
    if (side === 'bare') {
      bareSteps.push(...(await page.evaluate((ms) => window.bench.bareSlice('bare', { slice: 'run', ms }), TURN_SECONDS * 1000)));
      return;
    }
    const slice = await page.evaluate((s) => window.bench.appSlice(s), TURN_SECONDS);
    app.ms += slice.msPerStep * slice.steps;
    app.steps += slice.steps;
    app.longTasks.push(...slice.longTasks);
  });
  await page.evaluate(() => window.bench.closeLoops());
  const appLoop = { ...started, msPerStep: app.ms / app.steps, steps: app.steps };
  const bareMs = bareSteps.reduce((sum, ms) => sum + ms, 0) / bareSteps.length;
  return { appLoop, bareMs, pageThreads, longTasksOnBench: app.longTasks };
}

/**
 * The same steps in PyTorch on these cores (bench/torchCpu.ts) beside ours: a table, and the
 * summary line it returns. Ours runs on the threads the page would choose and is set against
 * PyTorch on as many.
 */
function torchBeside(ours: Record<string, { ms: number; threads: number }>, gainInOurTurns: number | null): string {
  const missing = torchMissing();
  if (missing) return `torch not timed: ${missing}`;
  const runs = [
    { model: 'cyclegan' as const, resolution: 64, steps: 20 },
    { model: 'fastcut' as const, resolution: 64, steps: 20 },
    { model: 'cyclegan' as const, resolution: 128, steps: 10 },
  ];
  const torch = torchOnTheseCores(root, runs);
  const n = torch.cores;
  const oursOver = (key: string) => {
    const { ms, threads } = ours[key];
    return ms / (threads > 1 ? torch.steps[key].many : torch.steps[key].one);
  };
  console.log(`\nPyTorch ${torch.version} on the same ${n} cores: the app's own steps (scale/, python -m scale.bench), median ms per step, runs alternated one thread, ${n}, ${n}, one:`);
  console.log(`| model | px | PyTorch 1 thread | PyTorch ${n} threads | ours (threads) | ours over PyTorch on as many threads |`);
  console.log('|---|---|---|---|---|---|');
  for (const { model, resolution } of runs) {
    const key = `${model}${resolution}`;
    const t = torch.steps[key];
    console.log(`| ${model} | ${resolution} | ${t.one.toFixed(0)} | ${t.many.toFixed(0)} | ${ours[key].ms.toFixed(0)} (${Math.max(1, ours[key].threads)}) | ${oursOver(key).toFixed(2)} |`);
  }
  const { cyclegan64, fastcut64, cyclegan128 } = torch.steps;
  return `torch cores=${n} cyclegan_ms_1=${cyclegan64.one.toFixed(0)} cyclegan_ms_${n}=${cyclegan64.many.toFixed(0)} fastcut_ms_1=${fastcut64.one.toFixed(0)} fastcut_ms_${n}=${fastcut64.many.toFixed(0)} thread_gain_128=${(cyclegan128.one / cyclegan128.many).toFixed(2)}${gainInOurTurns === null ? '' : ` thread_gain_128_in_our_turns=${gainInOurTurns.toFixed(2)}`} cyclegan_ours_over_torch=${oursOver('cyclegan64').toFixed(2)} fastcut_ours_over_torch=${oursOver('fastcut64').toFixed(2)}`;
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: [...baseArgs, ...gpuArgs] });
const appPort = Number(options.port) + 1;
const app = await serveBuiltApp(root, appPort);
try {
  // First what the page costs to load: every byte before the first training step.
  const loaded = await bytesBeforeFirstStep(browser, appPort, app.bytes);
  const mb = (n: number) => (n / 1e6).toFixed(2);
  console.log(`page bytes before the first step: JavaScript ${mb(loaded.js)} MB, WebAssembly ${mb(loaded.wasm)} MB, other ${mb(loaded.other)} MB (${loaded.notModified} requests answered 304: already downloaded)`);
  console.log(`bytes js_mb=${mb(loaded.js)} wasm_mb=${mb(loaded.wasm)} total_mb=${mb(loaded.js + loaded.wasm + loaded.other)}`);

  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => 'bench' in window);
  console.log(`Chromium ${browser.version()}, up to ${steps} timed steps (at least 2, within 30 s) per size after warm-up (wasm: up to 30 steps or ${WASM_WARMUP_MS / 1000} s); default config (genFilters 16, 3 blocks, disc 16×3), batch 1`);

  const rows: { backend: BackendName | 'wasm+threads'; ms64: number; ms128: number; gflops64: number; gflops128: number; matmul: number }[] = [];
  for (const label of backends) {
    const threads = label === 'wasm+threads';
    const backend: BackendName = threads ? 'wasm' : (label as BackendName);
    const results: BareResult[] = [];
    for (const resolution of [64, 128]) {
      // GPU backends compile shaders on their first step at each size; slow backends get a time budget.
      const warmup = backend === 'wasm' ? 2 : 1;
      const warmupMs = backend === 'wasm' ? WASM_WARMUP_MS : 0;
      const started = Date.now();
      const r = await page.evaluate((req) => window.bench.bare(req), { backend, resolution, warmup, warmupMs, steps, budgetMs: 30_000, threads, wasmThreads: everyCore(threads) });
      results.push(r);
      const outcome = r.error ? `failed: ${r.error}` : `${median(r.stepMs).toFixed(0)} ms/step${r.detail ? ` (${r.detail})` : ''}`;
      console.log(`  ${label} ${resolution}px: ${outcome} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      if (r.error) break;
    }
    const [r64, r128] = results;
    if (!r64 || r64.error || !r128 || r128.error) continue;
    const gflops = (r: BareResult) => r.stepFlops / (median(r.stepMs) / 1000) / 1e9;
    rows.push({ backend: label, ms64: median(r64.stepMs), ms128: median(r128.stepMs), gflops64: gflops(r64), gflops128: gflops(r128), matmul: r64.matmulGflops });
  }
  if (rows.length === 0) throw new Error('no backend completed the benchmark');

  console.log('\n| backend | ms/step 64 px | ms/step 128 px | GFLOP/s 64 px | GFLOP/s 128 px | matmul GFLOP/s |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.backend} | ${r.ms64.toFixed(0)} | ${r.ms128.toFixed(0)} | ${r.gflops64.toFixed(2)} | ${r.gflops128.toFixed(2)} | ${r.matmul.toFixed(2)} |`);
  }

  // The app's loop runs the build the app ships: plain wasm unless threads are on by default.
  const fastest = rows.filter((r) => r.backend !== 'wasm+threads').reduce((a, b) => (b.ms64 < a.ms64 ? b : a));
  const seconds = Number(options.seconds);
  const appBackend = fastest.backend as BackendName;
  const { appLoop, bareMs, pageThreads, longTasksOnBench } = await appOverBare(page, appBackend, seconds);
  const ratio = appLoop.msPerStep / bareMs;
  const benchPageLongTasks = longTasksOnBench.filter((d) => d > 50);
  console.log(`\napp loop on ${appLoop.backend}${appLoop.threads ? ` (${appLoop.threads} thread${appLoop.threads === 1 ? '' : 's'}, the page's own choice)` : ''}: ${appLoop.msPerStep.toFixed(0)} ms/step over ${appLoop.steps} steps (${seconds} s in turns of ${TURN_SECONDS} s, once the run had timed its threads); bare loop ${bareMs.toFixed(0)} ms/step over as long, turns alternated; app/bare ${ratio.toFixed(3)}`);
  if (appLoop.threadVerdict) console.log(`the page's thread choice: ${appLoop.threadVerdict}`);
  console.log(`bench page (no React around the loop): main-thread long tasks > 50 ms during ${seconds} s of training: ${benchPageLongTasks.length}${benchPageLongTasks.length ? ` (${benchPageLongTasks.map((d) => d.toFixed(0)).join(', ')} ms)` : ''}`);

  // The studio itself, as a student runs it: the Quick preset on the first demo.
  const studioSeconds = Number(options.studioSeconds);
  const studio = await studioLongTasks(browser, `http://127.0.0.1:${appPort}/`, studioSeconds);
  console.log(`studio page at the Quick preset: ${studio.steps} steps in ${studioSeconds} s; first chart point and preview ${studio.firstShown === null ? 'never shown' : `${studio.firstShown.toFixed(1)} s`} after the click; main-thread tasks > 50 ms: ${studio.tasks.length}`);
  for (const t of studio.tasks) console.log(`  at ${t.at.toFixed(1)} s: ${t.ms.toFixed(0)} ms (${t.scripts})`);
  const longTasks = studio.tasks.length;

  // The models side by side, interleaved so that each size sees the same machine state. On wasm
  // with threads each model is timed on one thread and on every core and keeps the faster by the
  // page's own rule (fastestThreads), as the page times each model before or during its run.
  const models: ModelKind[] = ['cyclegan', 'fastcut', 'cut'];
  const threadOptions = pageThreads ? [1, availableParallelism()] : [0];
  const compared: Record<string, { ms: number; kernels: number; residentMb: number; peakMb: number; threads: number }> = {};
  const slowest: string[] = [];
  console.log(`\nmodels on ${appBackend}, median of up to ${steps} steps each${pageThreads ? ', on the faster of one thread and every core' : ''}:`);
  console.log('| model | px | ms/step | threads | resident MB | peak MB |');
  console.log('|---|---|---|---|---|---|');
  for (const resolution of [64, 128]) {
    for (const model of models) {
      const runs: { threads: number; r: BareResult }[] = [];
      for (const threads of threadOptions) {
        const r = await page.evaluate((req) => window.bench.bare(req), { backend: appBackend, model, resolution, warmup: 2, warmupMs: WASM_WARMUP_MS, steps, budgetMs: 60_000, threads: threads > 1, wasmThreads: threads > 1 ? threads : undefined });
        if (r.error) throw new Error(`${model} at ${resolution} px failed: ${r.error}`);
        runs.push({ threads, r });
      }
      const chosen = fastestThreads(runs.map(({ threads, r }) => ({ threads, msPerStep: median(r.stepMs) })));
      const { r } = runs.find((run) => run.threads === chosen.threads) ?? runs[0];
      compared[`${model}${resolution}`] = { ms: median(r.stepMs), kernels: r.kernels, ...r.memory, threads: chosen.threads };
      const timings = runs.length > 1 ? ` (${runs.map((run) => `${run.threads}: ${median(run.r.stepMs).toFixed(0)}`).join(', ')})` : '';
      console.log(`| ${model} | ${resolution} | ${median(r.stepMs).toFixed(0)} | ${chosen.threads || '–'}${timings} | ${r.memory.residentMb.toFixed(1)} | ${r.memory.peakMb.toFixed(1)} |`);
      if (resolution === 64) slowest.push(`${model} 64 px, ${r.kernels} kernels: ${r.kernelTimes.slice(0, 12).map((k) => `${k.name} ${k.ms.toFixed(1)} ms ×${k.count}`).join(', ')}`);
    }
  }
  for (const line of slowest) console.log(`slowest kernels, ${line}`);
  const ratio64 = (model: ModelKind, key: 'ms' | 'peakMb') => compared[`${model}64`][key] / compared.cyclegan64[key];
  console.log(
    `models backend=${appBackend} cyclegan_ms_64=${compared.cyclegan64.ms.toFixed(0)} fastcut_ms_64=${compared.fastcut64.ms.toFixed(0)} fastcut_over_cyclegan_time=${ratio64('fastcut', 'ms').toFixed(2)} fastcut_over_cyclegan_peak_memory=${ratio64('fastcut', 'peakMb').toFixed(2)} cut_over_cyclegan_time=${ratio64('cut', 'ms').toFixed(2)}`,
  );
  const gains = backends.some((b) => b.startsWith('wasm')) ? await wasmThreadGain(page, seconds) : null;
  const threadGain = gains ? gains.gain.toFixed(2) : 'n/a';
  const torchLine = torchBeside(compared, gains?.torchGain ?? null);
  console.log(torchLine);
  console.log(
    `cpu model=cyclegan px=64 ms=${compared.cyclegan64.ms.toFixed(0)} fastcut_ms=${compared.fastcut64.ms.toFixed(0)} threads=${appLoop.threads} kernels=${compared.cyclegan64.kernels} thread_gain_128=${threadGain} app_over_bare=${ratio.toFixed(3)} long_tasks=${longTasks}`,
  );
  console.log(
    `browser backend=${fastest.backend} ms_per_step_64=${fastest.ms64.toFixed(0)} ms_per_step_128=${fastest.ms128.toFixed(0)} app_over_bare=${ratio.toFixed(3)} long_tasks=${longTasks}`,
  );
} finally {
  await browser.close();
  server.kill();
  app.close();
}
