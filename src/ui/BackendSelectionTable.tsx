import type { BackendSelection } from '../worker/backends/backendControl';

/** Why the running backend was chosen, with every candidate's verdict and timing. */
export function BackendSelectionTable({ selection }: { selection: BackendSelection }) {
  return (
    <div className="selection">
      <p>
        <strong>{selection.chosen}</strong>: {selection.reason}
      </p>
      <table className="backends" aria-label="backend selection">
        <thead>
          <tr>
            <th scope="col">Backend</th>
            <th scope="col">Verdict</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {selection.candidates.map((c) => (
            <tr key={c.name} data-backend={c.name} data-ok={c.ok}>
              <td>{c.name}</td>
              <td>{c.verdict}</td>
              <td>{c.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
