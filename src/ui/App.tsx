import { useEffect } from 'react';
import { BackendTable } from './BackendTable';
import { TrainingPanel } from './TrainingPanel';
import { publishForTests } from './testHook';
import { useBackendProbe } from './useBackendProbe';

export function App() {
  const probe = useBackendProbe();
  useEffect(() => {
    if (probe.status === 'done') publishForTests({ backends: probe.reports });
  }, [probe]);

  return (
    <main className="app">
      <header>
        <h1>GAN Style Studio</h1>
        <p className="tagline">
          Train a CycleGAN to move the style of one image set onto another — entirely in your browser. Your images never leave
          your machine.
        </p>
      </header>
      <section aria-labelledby="backends-title">
        <h2 id="backends-title">Compute backends in this browser</h2>
        {probe.status === 'probing' && <p role="status">Checking WebGPU, WebGL, WebAssembly and CPU…</p>}
        {probe.status === 'failed' && <p role="alert">Could not check the backends: {probe.message}</p>}
        {probe.status === 'done' && <BackendTable reports={probe.reports} />}
      </section>
      <TrainingPanel />
    </main>
  );
}
