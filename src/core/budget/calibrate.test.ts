import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../backends/nodeWasm';
import { calibrate, calibrationResolutions } from './calibrate';
import { makeConfig } from '../config';

beforeAll(async () => {
  await selectWasmBackend();
});

describe('calibrate', () => {
  it('runs small sizes as they are and big ones at two quick sizes', () => {
    expect(calibrationResolutions(makeConfig({ resolution: 48 }))).toEqual([48]);
    expect(calibrationResolutions(makeConfig({ resolution: 256 }))).toEqual([32, 64]);
    expect(calibrationResolutions(makeConfig({ resolution: 256, discLayers: 4 }))).toEqual([64]);
  });

  it('measures real steps: time, and a peak above what stays resident; then leaves nothing behind', async () => {
    const before = tf.memory().numTensors;
    const config = makeConfig({ resolution: 128, genFilters: 4, genResBlocks: 1, discFilters: 4, discLayers: 2 });
    const points = await calibrate(config);
    expect(points.map((p) => p.resolution)).toEqual([32, 64]);
    for (const p of points) {
      expect(p.msPerStep).toBeGreaterThan(0);
      expect(p.peakBytes).toBeGreaterThan(p.residentBytes);
    }
    // Four times the pixels need more memory at the peak.
    expect(points[1].peakBytes - points[1].residentBytes).toBeGreaterThan(2 * (points[0].peakBytes - points[0].residentBytes));
    expect(tf.memory().numTensors).toBe(before);
  });
});
