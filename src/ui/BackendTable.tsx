import type { BackendReport } from '../worker/backends/backendReport';

/** Which tfjs backends work in this browser, and why the others do not. */
export function BackendTable({ reports }: { reports: BackendReport[] }) {
  return (
    <table className="backends" aria-label="tfjs backends">
      <thead>
        <tr>
          <th scope="col">Backend</th>
          <th scope="col">Status</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {reports.map((r) => (
          <tr key={r.name} data-backend={r.name} data-ok={r.ok}>
            <td>{r.name}</td>
            <td>{r.ok ? (r.software ? 'works (software)' : 'works') : 'unavailable'}</td>
            <td>
              {r.detail}
              {r.software ? ' — a software rasteriser, much slower than wasm here' : ''} ({r.ms.toFixed(0)} ms)
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
