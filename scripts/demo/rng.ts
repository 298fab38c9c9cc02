import { randomLcg } from 'd3';

/**
 * The generator's only source of randomness. Each part of the city draws from its own
 * stream (seed + salt), so adding draws to one part never shifts another part's output.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  uniform(min: number, max: number): number;
  int(minInclusive: number, maxExclusive: number): number;
  normal(mean: number, sd: number): number;
  /** log-normal parameterised by its median (what analysts read) and log-scale sd */
  logNormal(median: number, sigma: number): number;
  /** Knuth's method: exact, and the hourly rates here stay small (< 30) */
  poisson(lambda: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly T[], weight: (item: T) => number): T;
  shuffle<T>(items: T[]): T[];
}

export function streamSeed(seed: number, salt: string): number {
  // FNV-1a over the salt, mixed with the seed, mapped to [0, 1) as randomLcg expects.
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < salt.length; i++) {
    h ^= salt.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h >>> 0) / 2 ** 32;
}

export function makeRng(seed: number, salt: string): Rng {
  const next = randomLcg(streamSeed(seed, salt));
  const normal = (mean: number, sd: number): number => {
    // Box–Muller; 1 - u keeps log() away from 0.
    const u = 1 - next();
    const v = next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const rng: Rng = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min) * next()),
    normal,
    logNormal: (median, sigma) => median * Math.exp(normal(0, sigma)),
    poisson: (lambda) => {
      if (lambda <= 0) return 0;
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (items, weight) => {
      let total = 0;
      for (const item of items) total += Math.max(0, weight(item));
      let r = next() * total;
      for (const item of items) {
        r -= Math.max(0, weight(item));
        if (r < 0) return item;
      }
      return items[items.length - 1]!;
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
  };
  return rng;
}
