/**
 * Writes training settings for `python -m scale.bench` (bench/gpu-pack.sh carries them to a GPU
 * machine, where the networks are built fresh: run files of weights would outgrow what one device
 * call may carry): the step ../shared/gpu/torch_ref.py takes (the paper's generator start, no
 * colour loss, identity 0.5) at 64, 128 and 256 px and with the paper-size networks at 256 px,
 * and the default CycleGAN at 64 px.
 *   npx tsx bench/scaleConfigs.ts <out dir>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeConfig, type TrainingConfig } from '../src/core/config';

const out = process.argv[2];
if (!out) throw new Error('Usage: tsx bench/scaleConfigs.ts <out dir>');
mkdirSync(out, { recursive: true });
const asTorchRef: Partial<TrainingConfig> = { generatorStart: 'random', lambdaColour: 0, lambdaIdentity: 0.5 };
const settings: [string, Partial<TrainingConfig>][] = [
  ...[64, 128, 256].map((resolution): [string, Partial<TrainingConfig>] => [`cyclegan-as-torch-ref-${resolution}`, { ...asTorchRef, resolution }]),
  ['paper-size-as-torch-ref-256', { ...asTorchRef, resolution: 256, genFilters: 64, genResBlocks: 9, discFilters: 64 }],
  ['cyclegan-64', { resolution: 64 }],
];
for (const [name, overrides] of settings) writeFileSync(join(out, `${name}.json`), JSON.stringify({ name, config: makeConfig(overrides) }));
console.log(`wrote ${settings.length} settings to ${out}`);
