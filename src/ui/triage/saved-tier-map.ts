import type { TierMap } from '../../analysis/tiers';
import { loadPersisted, type PersistedKind, savePersisted, TIER_MAP } from '../../state/persist';

/**
 * The analyst's tier map, per dataset: one department's codes mean nothing for another file.
 * Storage goes through persist.ts (validated on read, size-capped, never throws). The session
 * copy keeps an edited map available to the Publish dialog when storage is blocked or full.
 */
const session = new Map<string, TierMap>();

// A long or odd file name must not make the storage key unwieldy; the label is what analysts read.
function kind(dataset: string): PersistedKind<TierMap | null> {
  return { ...TIER_MAP, key: `${TIER_MAP.key}:${dataset.slice(0, 200)}`, label: `tier map for ${dataset.slice(0, 80)}` };
}

/** The map edited or imported in this session, else the stored one; `problem` when storage held something unusable. */
export function loadSavedTierMap(dataset: string): { map: TierMap | null; problem?: string } {
  const current = session.get(dataset);
  if (current) return { map: current };
  const r = loadPersisted(kind(dataset));
  return { map: r.value, ...(r.problem ? { problem: r.problem } : {}) };
}

/** Remembers the map for the session and tries to store it; the returned sentence says why it was not stored. */
export function saveTierMap(dataset: string, map: TierMap): string | null {
  session.set(dataset, map);
  const r = savePersisted(kind(dataset), map);
  return r.ok ? null : r.problem;
}
