import seedrandom from 'seedrandom';

/** A seeded source of uniform numbers in [0, 1); every random choice of a run draws from one. */
export interface Rng {
  next(): number;
  /** A whole number in [0, n). */
  int(n: number): number;
  /** A fresh 31-bit seed, for tfjs initialisers that take their own seed. */
  seed(): number;
}

export function makeRng(seed: number | string): Rng {
  const prng = seedrandom.alea(String(seed));
  return {
    next: () => prng(),
    int: (n) => Math.floor(prng() * n),
    seed: () => Math.floor(prng() * 2 ** 31),
  };
}
