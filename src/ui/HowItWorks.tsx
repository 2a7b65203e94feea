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
      <details>
        <summary>One-sided: CUT and FastCUT</summary>
        <p>
          Park et al. (2020) drop the second generator and the cycle. Instead, <strong>PatchNCE</strong> keeps the content: G’s own encoder describes small patches of the photo and
          of its translation, a little projection network maps those descriptions to a common space, and each patch of the output must pick out the patch at the same place in the
          input from among 255 others. Half the networks, no trip back: a FastCUT step takes about 0.4× the time of a CycleGAN step here and half the memory, but it learns one
          direction only. CUT adds the same test on style images (an identity term), which steadies colours at some cost in speed.
        </p>
      </details>
      <details>
        <summary>Quality: SWD and PSNR</summary>
        <p>
          Losses say who is winning the game, not how good the pictures are. Every 50 steps the page translates 16 content images and measures how far the statistics of their
          small patches, at several scales (a Laplacian pyramid), are from the style set’s: the <strong>sliced Wasserstein distance</strong> of Karras et al. (2018). Lower is
          closer, and it needs no downloaded network. On the demos the filter is known, so <strong>PSNR</strong> against the filter on unseen photos is plotted too.
        </p>
      </details>
    </section>
  );
}
