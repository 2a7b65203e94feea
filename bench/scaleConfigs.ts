/**
 * Writes training settings for `python -m scale.bench` (bench/gpu-pack.sh carries them to a GPU
 * machine, where the networks are built fresh: run files of weights would outgrow what one device
 * call may carry): the step ../shared/gpu/torch_ref.py takes (bench/torchRef.ts) at 64, 128 and
 * 256 px and with the paper-size networks at 256 px, and the default CycleGAN at 64 px.
 *   npx tsx bench/scaleConfigs.ts <out dir>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeConfig, type TrainingConfig } from '../src/core/config';
import { AS_TORCH_REF } from './torchRef';

const out = process.argv[2];
if (!out) throw new Error('Usage: tsx bench/scaleConfigs.ts <out dir>');
mkdirSync(out, { recursive: true });
const settings: [string, Partial<TrainingConfig>][] = [
  ...[64, 128, 256].map((resolution): [string, Partial<TrainingConfig>] => [`cyclegan-as-torch-ref-${resolution}`, { ...AS_TORCH_REF, resolution }]),
  ['paper-size-as-torch-ref-256', { ...AS_TORCH_REF, resolution: 256, genFilters: 64, genResBlocks: 9, discFilters: 64 }],
  ['cyclegan-64', { resolution: 64 }],
];
for (const [name, overrides] of settings) writeFileSync(join(out, `${name}.json`), JSON.stringify({ name, config: makeConfig(overrides) }));
console.log(`wrote ${settings.length} settings to ${out}`);
