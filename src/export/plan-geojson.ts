/**
 * The plan's places as GeoJSON points (for the map and for GIS), with the facts the detail panel
 * shows. Coordinates are cell or cluster centres, never call locations.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { RotationPlan } from '../analysis/rotation';

export function planPlacesGeoJson(plan: RotationPlan): FeatureCollection<Point> {
  const scheduled = new Map<string, number>();
  for (const s of plan.shifts) for (const u of s.units) for (const d of u.schedule.dosage) scheduled.set(d.placeId, (scheduled.get(d.placeId) ?? 0) + d.presenceMinutes);
  const features = plan.places.map(
    (p): Feature<Point> => ({
      type: 'Feature',
      id: p.id,
      geometry: { type: 'Point', coordinates: [Number(p.center[0].toFixed(6)), Number(p.center[1].toFixed(6))] },
      properties: {
        id: p.id,
        label: p.label,
        action: p.action,
        reasons: p.reasons.join(','),
        calls: p.calls,
        giZ: p.giZ !== null && Number.isFinite(p.giZ) ? p.giZ : null,
        giBin: p.giBin,
        trend: p.trend,
        areaId: p.areaId,
        plannedMinutes: scheduled.get(p.id) ?? 0,
        why: p.why.join(' '),
      },
    }),
  );
  return { type: 'FeatureCollection', features };
}
