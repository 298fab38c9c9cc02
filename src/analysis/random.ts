/**
 * Seeded randomness for every Monte Carlo step (architecture.md "Determinism"): the same
 * seed gives the same draws in the browser, the CLI and the tests.
 */
import { randomLcg } from 'd3';

/** Uniform [0, 1) source from a numeric seed (d3.s LCG (d3-random via the d3 package we depend on), portable across engines). */
export function seededUniform(seed: number): () => number {
  return randomLcg(seed);
}

/** Fisher–Yates shuffle in place with the given uniform source; returns the same array. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(array: T, uniform: () => number): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}
