import type { Direction, QualityPoint } from '../core/gan/state';
import type { BackendReport } from '../worker/backends/backendReport';
import type { Fault } from '../worker/training/protocol';
import type { TrainingView } from './useTrainer';

/** State that end-to-end tests read instead of scraping pixels. */
export interface StudioTestHook {
  backends?: BackendReport[];
  training?: TrainingView;
  chart?: { points: number; lastStep: number };
  previews?: { count: number; lastStep: number; psnr?: { generator: number; identity: number } };
  /** SWD and PSNR scores so far (see QualityChart). */
  quality?: QualityPoint[];
  data?: { source: string; sizes: Record<string, [number, number]>; content: number; style: number; problems: { name: string; reason: string }[]; loading: string | null };
  storage?: { runs: number; savedStep: number | null; problem: string | null; runProblems: string[] };
  stylize?: { width: number; height: number; differs: boolean; ms: number };
  /** Fault injection, and the trained generator's raw output for exactness checks. */
  actions?: { injectFault(fault: Fault): void; predict(direction: Direction, input: number[], shape: [number, number, number, number]): Promise<number[]> };
}

declare global {
  interface Window {
    __ganStudio?: StudioTestHook;
  }
}

export function publishForTests(update: Partial<StudioTestHook>): void {
  window.__ganStudio = { ...window.__ganStudio, ...update };
}
