import { booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import type { Position } from 'geojson';
import { parseSquareCellId, type SquareGridSpec } from '../../analysis/binning';
import type { HotspotCell } from '../../analysis/hotspots';
import type { AreaFeature } from '../../data/types';
import type { AreaShape, BriefingMap, CellShape, HotspotClassLabel } from './types';

/**
 * The briefing's map is drawn at publish time into pixel space: areas become SVG paths and
 * cells become squares. No longitude or latitude reaches the output (a coordinate at 4+
 * decimals could match a call's block-level geocode), there is no tile server, and the map
 * needs no script. Equirectangular with cos(φ₀) is exact enough at city scale.
 */
const WIDTH = 960;
const PAD = 12;

export interface MapInput {
  areas: readonly AreaFeature[];
  /** area id → group key when the area is too small to publish on its own */
  groupOf: ReadonlyMap<string, string>;
  spec: SquareGridSpec;
  cells: readonly Pick<HotspotCell, 'id' | 'class'>[];
  areaLabel: (id: string) => string;
}

export function buildMap(input: MapInput): BriefingMap {
  const rings: Position[][] = input.areas.flatMap((a) => (a.geometry.type === 'Polygon' ? [a.geometry.coordinates[0]!] : a.geometry.coordinates.map((p) => p[0]!)));
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const [x, y] of ring) {
      [w, e, s, n] = [Math.min(w, x!), Math.max(e, x!), Math.min(s, y!), Math.max(n, y!)];
    }
  }
  if (!Number.isFinite(w)) {
    // No areas: frame the cells instead.
    for (const c of input.cells) {
      const cr = parseSquareCellId(c.id);
      if (!cr) continue;
      const [lon0, lat0] = corner(input.spec, cr[0], cr[1]);
      const [lon1, lat1] = corner(input.spec, cr[0] + 1, cr[1] + 1);
      [w, e, s, n] = [Math.min(w, lon0), Math.max(e, lon1), Math.min(s, lat0), Math.max(n, lat1)];
    }
  }
  const kx = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const scale = (WIDTH - 2 * PAD) / Math.max((e - w) * kx, 1e-9);
  const height = Math.round((n - s) * scale + 2 * PAD);
  const px = (lon: number, lat: number): [number, number] => [round1(PAD + (lon - w) * kx * scale), round1(PAD + (n - lat) * scale)];

  const areas: AreaShape[] = input.areas.map((a) => {
    const polys = a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates;
    const path = polys.map((poly) => poly.map((ring) => ringPath(ring.map(([x, y]) => px(x!, y!)))).join('')).join('');
    const at = pointOnFeature({ type: 'Feature', properties: {}, geometry: a.geometry }).geometry.coordinates;
    const group = input.groupOf.get(a.id);
    return { key: a.id, label: input.areaLabel(a.id), path, labelAt: px(at[0]!, at[1]!), ...(group ? { combinedInto: group } : {}) };
  });
  const cells: CellShape[] = [];
  for (const c of input.cells) {
    const cr = parseSquareCellId(c.id);
    if (!cr) continue;
    const [x0, y0] = px(...corner(input.spec, cr[0], cr[1] + 1));
    const [x1] = px(...corner(input.spec, cr[0] + 1, cr[1]));
    const significant = c.class.startsWith('hot') || c.class.startsWith('cold');
    // Only significant squares are listed in the table, so only they need an area name.
    const centre = corner(input.spec, cr[0] + 0.5, cr[1] + 0.5);
    const area = significant ? input.areas.find((a) => booleanPointInPolygon(centre, a.geometry)) : undefined;
    cells.push({ key: c.id, x: x0, y: y0, size: round1(x1 - x0), class: c.class as HotspotClassLabel, ...(area ? { area: input.groupOf.has(area.id) ? 'Small areas combined' : input.areaLabel(area.id) } : {}) });
  }
  const cellKm2 = (input.spec.cellMeters / 1000) ** 2;
  return { width: WIDTH, height, areas, cells, cellMeters: input.spec.cellMeters, cellKm2 };
}

function corner(spec: SquareGridSpec, col: number, row: number): [number, number] {
  return [spec.originLon + (col * spec.cellMeters) / spec.metersPerDegreeLon, spec.originLat + (row * spec.cellMeters) / spec.metersPerDegreeLat];
}

/** Pixel rounding drops vertices closer than half a pixel: NOLA's 586 kB of outlines become a few tens of kB. */
function ringPath(points: [number, number][]): string {
  const kept: [number, number][] = [];
  for (const p of points) {
    const last = kept[kept.length - 1];
    if (!last || Math.abs(p[0] - last[0]) + Math.abs(p[1] - last[1]) >= 0.6) kept.push(p);
  }
  if (kept.length < 3) return '';
  return `M${kept.map(([x, y]) => `${x} ${y}`).join('L')}Z`;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
