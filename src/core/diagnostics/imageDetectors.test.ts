import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../data/pixels';
import { swapRedBlue, warmScene } from '../data/syntheticScenes';
import { kuwahara } from '../demos/filters';
import { detectImageProblems } from '../testing/imageProblems';
import { checkerboard, colourInversion, identityCollapse, memorisation, styleGap } from './imageDetectors';

const scenes = (from: number, n: number) => Array.from({ length: n }, (_, i) => warmScene(from + i, 64));
const map = (image: RgbaImage, f: (v: number, i: number) => number): RgbaImage => ({ ...image, data: image.data.map((v, i) => (i % 4 === 3 ? 255 : f(v, i))) });

const inputs = scenes(0, 3);
const style = scenes(1000, 8).map((s) => kuwahara(swapRedBlue(s), 3));
// A healthy translation: a real change of colour and texture, tied to each input.
const healthy = inputs.map((input) => ({ input, output: kuwahara(swapRedBlue(input), 3) }));

describe('image detectors', () => {
  it('stay quiet on a healthy translation', () => {
    expect(detectImageProblems(healthy, style)).toEqual([]);
  });

  it('identity collapse: output = input', () => {
    const detection = identityCollapse(inputs.map((input) => ({ input, output: map(input, (v) => v + 1) })));
    expect(detection).toMatchObject({ id: 'identity-collapse', remedy: { change: { lambdaIdentity: 0.1 }, restart: false } });
    expect(identityCollapse(healthy)).toBeNull();
    // Against a style that looks different (red and blue swapped) copying is a failure to change…
    expect(identityCollapse(inputs.map((input) => ({ input, output: input })), style)).not.toBeNull();
    // …but when the style images look like the inputs, a generator that changes little is right.
    const subtle = inputs.map((input) => map(input, (v) => v + 2));
    expect(styleGap(inputs, subtle)).toBeLessThan(0.02);
    expect(styleGap(inputs, style)).toBeGreaterThan(0.05);
    expect(identityCollapse(inputs.map((input) => ({ input, output: input })), subtle)).toBeNull();
  });

  it('memorisation: every output is one of the style images', () => {
    const detection = memorisation(inputs.map((input, i) => ({ input, output: style[i + 2] })), style);
    expect(detection).toMatchObject({ id: 'memorisation', score: 1, remedy: { change: { lambdaCycle: 15 } } });
    expect(memorisation(healthy, style)).toBeNull();
  });

  it('checkerboard: a stride-2 pattern laid over the outputs', () => {
    const patterned = healthy.map((p) => map(p.output, (v, i) => v + (((Math.floor(i / 4) % 64) + Math.floor(i / 4 / 64)) % 2 ? 25 : -25)));
    const detection = checkerboard(patterned);
    expect(detection).toMatchObject({ id: 'checkerboard', remedy: { change: { upsampling: 'resize-conv' }, restart: true } });
    expect(checkerboard(healthy.map((p) => p.output))).toBeNull();
  });

  it('colour inversion: bright and dark swapped', () => {
    const detection = colourInversion(inputs.map((input) => ({ input, output: map(input, (v) => 255 - v) })));
    expect(detection?.id).toBe('colour-inversion');
    expect(detection?.score).toBeLessThan(-0.9);
    expect(colourInversion(healthy)).toBeNull();
  });
});
