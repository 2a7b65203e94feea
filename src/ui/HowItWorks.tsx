import type { Remedy } from '../core/diagnostics/imageDetectors';
import type { Hint } from './hints';

/** A short explanation of what is being trained, and live hints read from the curves and previews, each with its remedy. */
export function HowItWorks({ hints, onRemedy }: { hints: Hint[]; onRemedy: (remedy: Remedy) => void }) {
  return (
    <section className="panel explain" aria-labelledby="explain-title">
      <h2 id="explain-title">How it works</h2>
      {hints.length > 0 && (
        <ul className="hints" aria-label="hints from the curves">
          {hints.map((h) => (
            <li key={h.id} data-hint={h.id}>
              {h.text}
              {h.remedy && (
                <>
                  {' '}
                  <button type="button" onClick={() => h.remedy && onRemedy(h.remedy)}>
                    {h.remedy.label}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>Generator vs discriminator</summary>
        <p>
          Two networks play a game. The <strong>generator</strong> G turns a content photo into the style; the <strong>discriminator</strong> D_B looks at small patches and
          says whether they come from a real style image or from G. Each improves against the other: D’s loss falls when it catches fakes, G’s adversarial loss falls when it fools
          D. Neither loss should go to zero for long — a healthy run keeps them in tension.
        </p>
      </details>
      <details>
        <summary>The cross-entropy loss of the original GAN</summary>
        <p>
          Goodfellow et al. (2014) score D with cross-entropy: D outputs a probability σ(x) of “real”, and its loss is −log σ(real) − log(1 − σ(fake)). G uses the
          non-saturating form −log σ(fake), which still gives it a gradient when D is confident. CycleGAN prefers least squares (real → 1, fake → 0), which is gentler; hinge is a
          third option. Choose in Advanced settings.
        </p>
      </details>
      <details>
        <summary>Cycle consistency and identity</summary>
        <p>
          With unpaired images, G could paint any stylish picture. So a second generator F learns the way back, and F(G(a)) must equal a (the <strong>cycle</strong> loss,
          weighted by λ = 10): the content must survive the trip. The <strong>identity</strong> loss asks G to leave images that already have the style alone, which keeps colours
          from drifting.
        </p>
      </details>
    </section>
  );
}
