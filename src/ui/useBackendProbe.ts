import { useEffect, useState } from 'react';
import type { BackendReport } from '../worker/backends/backendReport';

type ProbeState = { status: 'probing' } | { status: 'done'; reports: BackendReport[] } | { status: 'failed'; message: string };

/** Probes the tfjs backends once, in a worker, so the page never blocks on shader compiles. */
export function useBackendProbe(): ProbeState {
  const [state, setState] = useState<ProbeState>({ status: 'probing' });
  useEffect(() => {
    const worker = new Worker(new URL('../worker/backends/probe.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ type: 'backends'; reports: BackendReport[] } | { type: 'error'; message: string }>) => {
      const data = event.data;
      setState(data.type === 'backends' ? { status: 'done', reports: data.reports } : { status: 'failed', message: data.message });
      worker.terminate();
    };
    worker.onerror = (event) => setState({ status: 'failed', message: event.message || 'the probe worker failed to start' });
    return () => worker.terminate();
  }, []);
  return state;
}
