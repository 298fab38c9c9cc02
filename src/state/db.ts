import type { Db } from '../data/db-types';

/**
 * The app's one DuckDB handle. Opening it costs 2–3 s (worker + 34 MB wasm), so it starts
 * lazily on first use and everybody awaits the same promise; the map and areas render
 * meanwhile. db-browser is imported dynamically so the first paint does not wait for
 * duckdb-wasm's JS either.
 */
let pending: Promise<Db> | null = null;

export function getDb(): Promise<Db> {
  if (!pending) {
    pending = import('../data/db-browser').then((m) => m.openBrowserDb()).catch((e: unknown) => {
      pending = null; // allow a retry after e.g. an out-of-memory start
      throw e;
    });
  }
  return pending;
}
