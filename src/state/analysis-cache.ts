import type { Sql } from '../data/sql';

/**
 * Settled hot-spot / cluster results per (database, dataset epoch, areas, selection,
 * parameters): turning a layer off and on, or brushing back to an earlier selection, shows
 * the earlier answer at once instead of re-running seconds of SQL and statistics on 1M calls.
 * Only settled results are kept: an in-flight run may still be cancelled by its own caller,
 * and a second caller must not inherit that cancellation. A new dataset (epoch), new areas
 * (calls get new area ids) or another database empties the cache.
 */
export interface CacheScope {
  db: object;
  epoch: number;
  /** the session's area features (identity): loading areas re-assigns calls to areas */
  areas: unknown;
}

export interface ResultCache<T> {
  /** the settled result for key, or compute it (and keep it when it resolves) */
  get(scope: CacheScope, key: string, compute: () => Promise<T>): Promise<T>;
  readonly size: number;
}

export function createResultCache<T>(limit = 8): ResultCache<T> {
  let current: CacheScope | null = null;
  const entries = new Map<string, T>();
  return {
    async get(scope, key, compute) {
      if (!current || current.db !== scope.db || current.epoch !== scope.epoch || current.areas !== scope.areas) {
        entries.clear();
        current = scope;
      }
      if (entries.has(key)) {
        const hit = entries.get(key) as T;
        // most recently used last, so the oldest goes first when full
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const owner = current;
      const value = await compute();
      if (current === owner) {
        entries.set(key, value);
        while (entries.size > limit) entries.delete(entries.keys().next().value as string);
      }
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}

/** A selection predicate as a cache key (its text and its parameter values). */
export function sqlKey(s: Sql): string {
  return `${s.text}\u0000${JSON.stringify(s.params, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
/** A per-object number for keys that depend on an object passed by reference (an explicit region). */
export function objectKey(o: object | undefined | null): string {
  if (!o) return '-';
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return `#${id}`;
}
