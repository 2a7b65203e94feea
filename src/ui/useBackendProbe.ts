import { useEffect, useState } from 'react';
import { errorMessage } from '../shared/errorMessage';
import type { BackendReport } from '../worker/backends/backendReport';
import { probeBackendsInWorker } from '../worker/backends/probeClient';

type ProbeState = { status: 'probing' } | { status: 'done'; reports: BackendReport[] } | { status: 'failed'; message: string };

/** Probes the tfjs backends once, in a worker, so the page never blocks on shader compiles. */
export function useBackendProbe(): ProbeState {
  const [state, setState] = useState<ProbeState>({ status: 'probing' });
  useEffect(() => {
    const abort = new AbortController();
    probeBackendsInWorker(abort.signal).then(
      (reports) => setState({ status: 'done', reports }),
      (error: unknown) => abort.signal.aborted || setState({ status: 'failed', message: errorMessage(error) }),
    );
    return () => abort.abort();
  }, []);
  return state;
}
