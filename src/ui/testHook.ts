import type { BackendReport } from '../worker/backendReport';
import type { TrainingView } from './useTrainer';

/** State that end-to-end tests read instead of scraping pixels. */
export interface StudioTestHook {
  backends?: BackendReport[];
  training?: TrainingView;
  chart?: { points: number; lastStep: number };
  previews?: { count: number; lastStep: number; psnr?: { generator: number; identity: number } };
  data?: { source: string; content: number; style: number; problems: { name: string; reason: string }[]; loading: string | null };
  /** Fault injection for end-to-end tests. */
  actions?: { loseDevice(): void };
}

declare global {
  interface Window {
    __ganStudio?: StudioTestHook;
  }
}

export function publishForTests(update: Partial<StudioTestHook>): void {
  window.__ganStudio = { ...window.__ganStudio, ...update };
}
