import type { TierMap } from '../../analysis/tiers';
import { parseTierMap, serializeTierMap } from '../../data/tier-map';

/**
 * The lieutenant's tier map survives reloads in localStorage, per dataset name. What comes
 * back is re-validated by `parseTierMap`: storage is an edge like any file.
 */
const KEY = 'callsight.tierMap.v1:';

export function loadStoredTierMap(dataset: string): TierMap | null {
  try {
    const text = globalThis.localStorage?.getItem(KEY + dataset);
    return text ? parseTierMap(text, 'saved tier map') : null;
  } catch {
    return null;
  }
}

export function storeTierMap(dataset: string, map: TierMap): void {
  try {
    globalThis.localStorage?.setItem(KEY + dataset, serializeTierMap(map));
  } catch {
    // Private mode or a full quota: the map still works for this session.
  }
}
