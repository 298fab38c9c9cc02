import { haversineMeters } from './local-projection';

/**
 * Places whose calls are not about the place: reports geocoded to a police station, the jail,
 * a hospital. They are removed BEFORE any statistic (hotspots, clusters, rings), and the count
 * removed per entry is shown so the analyst can see what the mask did.
 */
export type ExclusionEntry =
  | { kind: 'point'; id: string; label: string; lon: number; lat: number; radiusMeters: number }
  | { kind: 'area'; id: string; label: string; areaIds: readonly string[] };

export interface ExclusionCount {
  id: string;
  label: string;
  /** calls removed by this entry (a call matching several entries is charged to the first) */
  excluded: number;
  /** calls matching this entry at all, including those charged to an earlier entry */
  matched: number;
}

export interface ExclusionResult<T> {
  kept: T[];
  excluded: T[];
  counts: ExclusionCount[];
}

export interface Locatable {
  lon: number;
  lat: number;
  areaId?: string | null;
}

export function validateExclusions(entries: readonly ExclusionEntry[]): void {
  const ids = new Set<string>();
  for (const e of entries) {
    if (ids.has(e.id)) throw new RangeError(`Exclusion "${e.label}" uses id ${e.id} twice; give each entry its own id.`);
    ids.add(e.id);
    if (e.kind === 'point') {
      if (!(Math.abs(e.lat) <= 90 && Math.abs(e.lon) <= 180)) {
        throw new RangeError(`Exclusion "${e.label}" has no valid longitude/latitude (${e.lon}, ${e.lat}).`);
      }
      if (!(e.radiusMeters >= 0) || e.radiusMeters > 5000) {
        throw new RangeError(`Exclusion "${e.label}": radius must be 0–5000 m (got ${e.radiusMeters}); use an area entry for larger zones.`);
      }
    } else if (e.areaIds.length === 0) {
      throw new RangeError(`Exclusion "${e.label}" lists no areas.`);
    }
  }
}

/** Inclusive radius (d ≤ r), so radius 0 removes exactly the calls geocoded to that point. */
export function applyExclusions<T extends Locatable>(calls: readonly T[], entries: readonly ExclusionEntry[]): ExclusionResult<T> {
  validateExclusions(entries);
  const counts: ExclusionCount[] = entries.map((e) => ({ id: e.id, label: e.label, excluded: 0, matched: 0 }));
  const areaSets = entries.map((e) => (e.kind === 'area' ? new Set(e.areaIds) : null));
  // A cheap latitude band check before the haversine: calls outside it cannot match.
  const latBand = entries.map((e) => (e.kind === 'point' ? (e.radiusMeters / 6_371_008.8) * (180 / Math.PI) * 1.001 + 1e-9 : 0));
  const kept: T[] = [];
  const excluded: T[] = [];
  for (const call of calls) {
    let first = -1;
    entries.forEach((e, k) => {
      let hit = false;
      if (e.kind === 'area') hit = call.areaId != null && areaSets[k]!.has(call.areaId);
      else if (Math.abs(call.lat - e.lat) <= latBand[k]!) hit = haversineMeters(call.lon, call.lat, e.lon, e.lat) <= e.radiusMeters;
      if (!hit) return;
      counts[k]!.matched++;
      if (first < 0) first = k;
    });
    if (first >= 0) {
      counts[first]!.excluded++;
      excluded.push(call);
    } else kept.push(call);
  }
  return { kept, excluded, counts };
}
