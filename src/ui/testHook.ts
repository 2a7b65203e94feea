import type { BackendReport } from '../worker/backendReport';

/** State that end-to-end tests read instead of scraping pixels. */
export interface StudioTestHook {
  backends?: BackendReport[];
}

declare global {
  interface Window {
    __ganStudio?: StudioTestHook;
  }
}

export function publishForTests(update: Partial<StudioTestHook>): void {
  window.__ganStudio = { ...window.__ganStudio, ...update };
}
