import { booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

/**
 * Whether a boundary file is the neighbourhood areas (calls are assigned to these) or a police
 * districts/beats overlay (drawn only). Three explainable rules, in order:
 * 1. the file name, its name property or its names say district/beat/zone/sector/precinct;
 * 2. no areas are loaded yet: it becomes the areas, as before;
 * 3. areas are loaded and the new features nest with them (each area sits inside one new
 *    feature and there are at most half as many: coarser; or the reverse: finer): districts.
 * Anything else is asked, because replacing the areas re-assigns every call.
 */
export type BoundaryKind = 'areas' | 'districts' | 'ask';

export interface BoundaryLike {
  name: string;
  geometry: Polygon | MultiPolygon;
}

export const DISTRICT_WORDS = /\b(district|beat|zone|sector|precinct)s?\b|(district|beat|zone|sector|precinct)s?[_\-\d]/i;

/** Share of anchors that must fall inside the other set: boundary files digitised by different offices rarely nest exactly. */
const NEST_SHARE = 0.9;

export function classifyBoundary(input: {
  fileName: string;
  nameProperty: string | null;
  features: readonly BoundaryLike[];
  loadedAreas: readonly BoundaryLike[] | null;
}): { kind: BoundaryKind; reason: string } {
  const base = input.fileName.split(/[\\/]/).pop() ?? input.fileName;
  if (DISTRICT_WORDS.test(base.replace(/[_.]/g, ' '))) return { kind: 'districts', reason: `the file name "${base}" names districts or beats` };
  if (input.nameProperty && DISTRICT_WORDS.test(input.nameProperty.replace(/_/g, ' '))) return { kind: 'districts', reason: `its names come from the "${input.nameProperty}" property` };
  const named = input.features.filter((f) => DISTRICT_WORDS.test(f.name)).length;
  if (input.features.length > 0 && named / input.features.length >= 0.5) return { kind: 'districts', reason: 'most of its feature names say district, beat, zone, sector or precinct' };
  const areas = input.loadedAreas;
  if (!areas?.length) return { kind: 'areas', reason: 'no neighbourhood areas are loaded yet' };
  const loadedNames = new Set(areas.map((a) => a.name));
  if (areas.length === input.features.length && input.features.every((f) => loadedNames.has(f.name))) return { kind: 'areas', reason: 'it has the same names as the loaded areas (the same file again)' };
  if (input.features.length * 2 <= areas.length && nestedShare(areas, input.features) >= NEST_SHARE) {
    return { kind: 'districts', reason: `its ${input.features.length} features each contain several of the ${areas.length} loaded areas (a coarser partition)` };
  }
  if (input.features.length >= areas.length * 2 && nestedShare(input.features, areas) >= NEST_SHARE) {
    return { kind: 'districts', reason: `its ${input.features.length} features subdivide the ${areas.length} loaded areas (a finer partition)` };
  }
  return { kind: 'ask', reason: 'areas are already loaded and this file neither names districts nor nests with them' };
}

/** Share of `inner` features whose interior anchor point lies in some `outer` feature. */
export function nestedShare(inner: readonly BoundaryLike[], outer: readonly BoundaryLike[]): number {
  if (!inner.length) return 0;
  const outerFeatures = outer.map((o): Feature<Polygon | MultiPolygon> => ({ type: 'Feature', properties: {}, geometry: o.geometry }));
  let inside = 0;
  for (const f of inner) {
    const p = pointOnFeature({ type: 'Feature', properties: {}, geometry: f.geometry });
    if (outerFeatures.some((o) => booleanPointInPolygon(p, o))) inside++;
  }
  return inside / inner.length;
}
