import { useSyncExternalStore } from 'react';
import type { AreaFeature } from '../data/types';

/**
 * The optional police districts/beats overlay. Drawn only: calls keep their neighbourhood
 * area assignment. Not persisted with the dataset cache (a restored dataset needs it re-added),
 * because the cache's file roles are validated by an allow-list another module owns.
 */
export interface DistrictsState {
  features: AreaFeature[] | null;
  /** the file it came from, shown in the layer row */
  label: string | null;
  /** its bytes, so the analyst can still choose to use it as the areas instead */
  file: { name: string; bytes: Uint8Array } | null;
  /** why it was classified as districts (shown so the analyst can disagree) */
  reason: string | null;
  layer: { visible: boolean; opacity: number };
  /** a boundary file waiting for the analyst's choice: areas or districts */
  pending: { file: { name: string; bytes: Uint8Array }; reason: string } | null;
}

const initial: DistrictsState = { features: null, label: null, file: null, reason: null, layer: { visible: true, opacity: 1 }, pending: null };
let state: DistrictsState = initial;
const listeners = new Set<() => void>();

export function getDistricts(): DistrictsState {
  return state;
}

export function updateDistricts(patch: Partial<DistrictsState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function resetDistricts(): void {
  updateDistricts(initial);
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useDistricts(): DistrictsState {
  return useSyncExternalStore(subscribe, getDistricts);
}
