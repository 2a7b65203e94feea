import { calibrate } from '../../core/budget/calibrate';
import type { BackendControl } from '../backends/backendControl';
import type { BackendName } from '../backends/backendReport';
import type { Handlers } from '../bridge/serveWorker';
import type { CalibrateApi, MemoryLimit } from './calibrateApi';

/** The wasm heap's ceiling (tfjs-backend-wasm 4.22 is built to grow to just under 4 GiB). */
const WASM_HEAP_MAX = 4_294_901_760;

/** What training may use: wasm's address space or the device memory Chromium reports (rounded, at most 8 GB). */
function memoryLimit(backend: BackendName): MemoryLimit {
  const reported = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  const device = reported ? reported * 2 ** 30 : null;
  if (backend === 'wasm') {
    return device !== null && device < WASM_HEAP_MAX ? { bytes: device, what: `the about ${reported} GB of memory this device reports` } : { bytes: WASM_HEAP_MAX, what: 'the 4 GB WebAssembly can address' };
  }
  return device !== null ? { bytes: device, what: `the about ${reported} GB of memory this device reports (the GPU’s own is not known to the page)` } : { bytes: null, what: 'unknown: the browser does not tell' };
}

/** The page starts a worker for each calibration and ends it after (or on abort). */
export function calibrateHandlers(control: BackendControl): Handlers<CalibrateApi> {
  return {
    async calibrate({ config, backend }) {
      const selection = await control.select(backend, config);
      await control.activate(selection.chosen);
      return { backend: selection.chosen, points: await calibrate(config), limit: memoryLimit(selection.chosen) };
    },
  };
}
