/**
 * Does training learn? CycleGAN on the synthetic known-mapping task (warm scenes ↔ the same kind
 * of scenes with red and blue swapped, unpaired and disjoint), then PSNR of G(x) against the true
 * mapping f(x) on held-out scenes, beside the do-nothing baseline PSNR(x, f(x)).
 *   npm run bench:quality [-- --steps 1500 --resolution 32]
 */
import { selectWasmBackend } from '../src/core/backends/nodeWasm';
import { makeConfig } from '../src/core/config';
import { trainKnownMapping } from '../src/core/evaluation/knownMapping';
import { numberArgs } from './args';

const args = numberArgs({ steps: 1500, resolution: 32, train: 48, test: 24 });
await selectWasmBackend();
const config = makeConfig({
  resolution: args.resolution,
  discLayers: args.resolution >= 64 ? 3 : 2,
  totalSteps: args.steps,
  decayStartStep: Math.floor(args.steps / 2),
});
console.log(`training ${args.steps} steps at ${args.resolution} px on ${args.train} + ${args.train} unpaired scenes (default networks, LSGAN, λ=10, identity 0.5)`);
const r = await trainKnownMapping(config, args.steps, { train: args.train, test: args.test });
console.log(`generator loss: first tenth ${r.generatorLoss.first.toFixed(3)}, last tenth ${r.generatorLoss.last.toFixed(3)}`);
console.log(
  `quality psnr_generator=${r.psnrGenerator.toFixed(2)} psnr_identity=${r.psnrIdentity.toFixed(2)} steps=${r.steps} seconds=${r.seconds.toFixed(1)}`,
);
