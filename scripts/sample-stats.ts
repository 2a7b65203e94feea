/**
 * Writes public/samples/manifest.json: the bundled photos and each one's colour statistics
 * (mean and spread of R, G, B in [-1, 1], of the 64 px centre crop the trainer sees), which the
 * demos use to split the photos into balanced content, style and held-out groups.
 *   npx tsx scripts/sample-stats.ts
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadPhoto } from '../bench/photos';
import { ImageSet } from '../src/core/data/imageSet';

const dir = fileURLToPath(new URL('../public/samples/', import.meta.url));
await tf.setBackend('cpu');
const photos = readdirSync(`${dir}photos`).filter((f) => f.endsWith('.jpg')).sort();
const colour = Object.fromEntries(
  photos.map((file) => {
    const stats = tf.tidy(() => {
      const { mean, variance } = tf.moments(ImageSet.centredBatch([loadPhoto(`${dir}photos/${file}`, 320)], 64), [0, 1, 2]);
      return [...mean.dataSync(), ...variance.sqrt().dataSync()];
    });
    return [file, stats.map((v) => Math.round(v * 1000) / 1000)];
  }),
);
// One photo per line keeps the file readable and its diffs small.
const rows = (entries: string[]) => entries.map((e) => `  ${e}`).join(',\n');
const json = `{\n "photos": [\n${rows(photos.map((p) => JSON.stringify(p)))}\n ],\n "colour": {\n${rows(Object.entries(colour).map(([f, v]) => `${JSON.stringify(f)}: ${JSON.stringify(v)}`))}\n }\n}\n`;
writeFileSync(`${dir}manifest.json`, json);
console.log(`wrote ${photos.length} photos' colour statistics to public/samples/manifest.json`);
