/**
 * Writes public/samples/manifest.json: the bundled photos and each one's colour statistics as
 * the colour loss reads them at the Quick preset's 64 px (colourStats), which the demos
 * use to split the photos into balanced content, style and held-out groups.
 *   npx tsx scripts/sample-stats.ts
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadPhoto } from '../bench/photos';
import { colourStats } from '../src/core/data/colourStats';
import { ImageSet } from '../src/core/data/imageSet';

const dir = fileURLToPath(new URL('../public/samples/', import.meta.url));
await tf.setBackend('cpu');
const photos = readdirSync(`${dir}photos`).filter((f) => f.endsWith('.jpg')).sort();
const colour = Object.fromEntries(
  photos.map((file) => {
    const stats = tf.tidy(() => Array.from(colourStats(ImageSet.centredBatch([loadPhoto(`${dir}photos/${file}`, 320)], 64)).dataSync()));
    return [file, stats.map((v) => Math.round(v * 1000) / 1000)];
  }),
);
// One photo per line keeps the file readable and its diffs small.
const rows = (entries: string[]) => entries.map((e) => `  ${e}`).join(',\n');
const json = `{\n "photos": [\n${rows(photos.map((p) => JSON.stringify(p)))}\n ],\n "colour": {\n${rows(Object.entries(colour).map(([f, v]) => `${JSON.stringify(f)}: ${JSON.stringify(v)}`))}\n }\n}\n`;
writeFileSync(`${dir}manifest.json`, json);
console.log(`wrote ${photos.length} photos' colour statistics to public/samples/manifest.json`);
