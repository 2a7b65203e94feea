import { registerCustomLayers } from '../core/networks/layers';
import { createBrowserBackendControl, probeBackends } from './backends/backends';
import type { ProbeApi } from './backends/probeApi';
import { serveWorker } from './bridge/serveWorker';
import type { CalibrateApi } from './calibrate/calibrateApi';
import { calibrateHandlers } from './calibrate/calibrateHandlers';
import type { StylizeApi } from './stylize/stylizeApi';
import { stylizeHandlers } from './stylize/stylizeHandlers';
import type { TrainingApi, TrainingEvent } from './training/protocol';
import { trainingHandlers } from './training/trainingHandlers';

// One script for every tfjs worker (see tfjsWorker.ts); the page uses each instance for one job.
registerCustomLayers();
const control = createBrowserBackendControl();
const server = serveWorker<ProbeApi & CalibrateApi & StylizeApi & TrainingApi, TrainingEvent>({
  probe: () => probeBackends(),
  ...calibrateHandlers(control),
  ...stylizeHandlers(control),
  ...trainingHandlers(control, (event, transfer) => server.emit(event, transfer)),
});
