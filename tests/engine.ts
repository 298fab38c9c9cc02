/**
 * Shared test helpers: a real DuckDB (duckdb-wasm's node build: the same engine the app
 * runs) and the location of the shared real data, which tests skip without (with a reason).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openNodeDb } from '../src/data/db-node';
import type { Db } from '../src/data/db-types';

export async function openTestDb(): Promise<Db> {
  return openNodeDb({ memoryLimit: '2GB' });
}

const here = path.dirname(new URL(import.meta.url).pathname);
export const SHARED_DIR = path.resolve(here, '../../shared');

/** Directory of the New Orleans data pack, or null (tests then skip and say why). */
export function newOrleansDir(): string | null {
  const candidates = [process.env.CALLSIGHT_DATA, path.join(SHARED_DIR, 'data/new-orleans')].filter(Boolean) as string[];
  for (const dir of candidates) if (existsSync(path.join(dir, 'nopd_cfs_2022_rtcc_subset.csv'))) return dir;
  return null;
}

export function corporaDir(): string | null {
  const dir = process.env.CALLSIGHT_CORPORA ?? path.join(SHARED_DIR, 'corpora');
  return existsSync(dir) ? dir : null;
}

export function skipReason(what: string, dir: string | null): string | undefined {
  if (dir) return undefined;
  const reason = `${what} not found (set CALLSIGHT_DATA or place ../shared next to the repo); skipping.`;
  console.warn(reason);
  return reason;
}
