import { useSyncExternalStore } from 'react';
import type { Db } from '../data/db-types';
import { type CacheInfo, type CacheStore, type CallsCopy, cacheInfo, type DatasetSnapshot, forgetDataset, readCallsForCache, writeDataset } from './dataset-cache';
import { freeStorageBytes, opfsStore } from './opfs-store';

/**
 * When the dataset cache is written and what the analyst is told about it. The table is read
 * inside a successful import (before the dashboard queries it); the storage writes follow one
 * at a time (a Web Lock also keeps two tabs from writing at once) and never touch DuckDB, so a
 * later import cannot change what is being written.
 */
export type CacheStatus =
  | { kind: 'unknown' }
  | { kind: 'unavailable' }
  | { kind: 'none' }
  | { kind: 'saving' }
  | { kind: 'saved'; info: CacheInfo }
  | { kind: 'not-saved'; reason: string };

export interface CacheState {
  status: CacheStatus;
  /** set when the session's dataset came from the cache at start-up */
  restored: CacheInfo | null;
}

const LOCK = 'callsight-dataset-cache';
let state: CacheState = { status: { kind: 'unknown' }, restored: null };
const listeners = new Set<() => void>();
let pending: Promise<void> = Promise.resolve();
let storePromise: Promise<CacheStore | null> | null = null;

export function cacheStore(): Promise<CacheStore | null> {
  storePromise ??= opfsStore();
  return storePromise;
}

export function getCacheState(): CacheState {
  return state;
}

export function setCacheState(patch: Partial<CacheState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function useCacheState(): CacheState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

export async function withCacheLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request(LOCK, task) : task();
}

/**
 * Reads the new `calls` for the cache, in row-range parts, once the dataset's first views have
 * drawn (import-flow.ts keepWhenDrawn; dataset-cache.ts says why). Null when this browser cannot cache or the table cannot be kept.
 */
export async function readForCache(db: Db): Promise<CallsCopy | null> {
  if (!(await cacheStore())) {
    setCacheState({ status: { kind: 'unavailable' } });
    return null;
  }
  try {
    const copy = await readCallsForCache(db);
    if ('skipped' in copy) {
      setCacheState({ status: { kind: 'not-saved', reason: `Not kept in this browser: ${copy.skipped}. A reload will need the file again.` } });
      return null;
    }
    return copy;
  } catch (e) {
    setCacheState({ status: { kind: 'not-saved', reason: `Not kept in this browser (${e instanceof Error ? e.message : String(e)}). A reload will need the file again.` } });
    return null;
  }
}

/** Queues the storage write of a copy read by readForCache; one write at a time. */
export function rememberDataset(copy: CallsCopy, snapshot: DatasetSnapshot): Promise<void> {
  const run = pending.then(async () => {
    const store = await cacheStore();
    if (!store) return;
    setCacheState({ status: { kind: 'saving' }, restored: null });
    try {
      const outcome = await withCacheLock(async () => writeDataset(store, snapshot, copy, { freeBytes: await freeStorageBytes() }));
      setCacheState({ status: outcome.saved ? { kind: 'saved', info: outcome.info } : { kind: 'not-saved', reason: `Not kept in this browser: ${outcome.reason}. A reload will need the file again.` } });
    } catch (e) {
      setCacheState({ status: { kind: 'not-saved', reason: `Not kept in this browser (${e instanceof Error ? e.message : String(e)}). A reload will need the file again.` } });
    }
  });
  pending = run.catch(() => {});
  return run;
}

export async function refreshCacheStatus(): Promise<CacheStatus> {
  const store = await cacheStore();
  const info = store ? await cacheInfo(store) : null;
  const status: CacheStatus = !store ? { kind: 'unavailable' } : info ? { kind: 'saved', info } : { kind: 'none' };
  if (state.status.kind !== 'saving') setCacheState({ status });
  return status;
}

/** Removes the kept dataset; what is loaded in the tab stays until the next reload. */
export async function forgetCachedDataset(): Promise<void> {
  await pending;
  const store = await cacheStore();
  if (store) await withCacheLock(() => forgetDataset(store));
  setCacheState({ status: store ? { kind: 'none' } : { kind: 'unavailable' }, restored: null });
}

export function describeSavedAt(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
