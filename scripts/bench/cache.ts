import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Generated benchmark data is large (5M calls ≈ 1 GB of CSV) and reproducible from a seed,
 * so it lives in a cache outside the repository, never in git.
 */
export function benchCacheDir(): string {
  const dir = process.env.CALLSIGHT_BENCH_CACHE ?? path.join(homedir(), '.cache', 'callsight-bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const here = path.dirname(new URL(import.meta.url).pathname);
export const REPO_ROOT = path.resolve(here, '../..');

/** 1_000_000 → "1m", 100_000 → "100k": short, sortable file names. */
export function sizeLabel(rows: number): string {
  if (rows % 1_000_000 === 0) return `${rows / 1_000_000}m`;
  if (rows % 1000 === 0) return `${rows / 1000}k`;
  return String(rows);
}
