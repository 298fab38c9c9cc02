import type { Layer } from '@deck.gl/core';
import { length as turfLength, lineChunk, pointOnFeature } from '@turf/turf';
import type { Feature, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { AreaFeature } from '../../data/types';
import { hexToRgba, OKABE_ITO } from '../palette';
import { deckClasses } from './deck-classes';

export interface DistrictDash {
  name: string;
  path: Position[];
}

export interface DistrictLabel {
  name: string;
  position: [number, number];
}

/** Black dashes on a white casing: distinct from the grey solid area outlines, colour-blind safe, and legible over hot-spot fills. */
export const DISTRICT_DASH_COLOUR = OKABE_ITO.black;

/**
 * Dashes cut from each ring (deck.gl's dash needs @deck.gl/extensions, not installed): every
 * other chunk of `dashMeters`. Dashes are in ground units, so the caller picks the length per zoom.
 */
export function districtDashes(features: readonly Pick<AreaFeature, 'name' | 'geometry'>[], dashMeters: number): DistrictDash[] {
  const out: DistrictDash[] = [];
  for (const f of features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const ring of polygons.flat()) {
      const line: Feature<LineString> = { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: ring } };
      // A ring shorter than two dashes would vanish; draw it whole.
      if (turfLength(line, { units: 'meters' }) < dashMeters * 2) {
        out.push({ name: f.name, path: ring });
        continue;
      }
      lineChunk(line, dashMeters, { units: 'meters' }).features.forEach((c, i) => {
        if (i % 2 === 0) out.push({ name: f.name, path: c.geometry.coordinates });
      });
    }
  }
  return out;
}

/** About 14 px per dash at any zoom (web-mercator metres per pixel ≈ 156543·cos φ / 2^z; φ ignored: city scale). */
export function dashMetersAtZoom(zoom: number): number {
  return Math.max(5, (14 * 156543) / 2 ** Math.floor(zoom));
}

export function districtLabels(features: readonly Pick<AreaFeature, 'name' | 'geometry'>[]): DistrictLabel[] {
  return features.map((f) => {
    const p = pointOnFeature({ type: 'Feature', properties: {}, geometry: f.geometry as Polygon | MultiPolygon }).geometry.coordinates;
    return { name: f.name, position: [p[0]!, p[1]!] };
  });
}

/** Casing, dashes and (from zoom 11, districts are few) labels. Layer ids start with "districts". */
export function districtsLayers(dashes: DistrictDash[], labels: DistrictLabel[], options: { zoom: number; opacity?: number }): Layer[] {
  const { PathLayer, TextLayer } = deckClasses();
  const opacity = options.opacity ?? 1;
  return [
    new PathLayer<DistrictDash>({
      id: 'districts-casing',
      data: dashes,
      getPath: (d) => d.path as [number, number][],
      getColor: [255, 255, 255, 200],
      getWidth: 5,
      widthUnits: 'pixels',
      opacity,
    }) as unknown as Layer,
    new PathLayer<DistrictDash>({
      id: 'districts-outline',
      data: dashes,
      getPath: (d) => d.path as [number, number][],
      getColor: hexToRgba(DISTRICT_DASH_COLOUR, 230),
      getWidth: 2.5,
      widthUnits: 'pixels',
      opacity,
      pickable: true,
    }) as unknown as Layer,
    new TextLayer<DistrictLabel>({
      id: 'districts-labels',
      data: labels,
      getText: (d) => d.name,
      getPosition: (d) => d.position,
      getColor: hexToRgba(DISTRICT_DASH_COLOUR, 230),
      getSize: 13,
      sizeUnits: 'pixels',
      fontFamily: 'system-ui, "Segoe UI", Roboto, sans-serif',
      fontWeight: 700,
      characterSet: 'auto',
      outlineWidth: 3,
      outlineColor: [255, 255, 255, 230],
      fontSettings: { sdf: true },
      opacity,
      pickable: true,
      visible: options.zoom >= 11,
    }) as unknown as Layer,
  ];
}

/** Tooltip text for a picked dash or label; React renders it as text, so a name cannot inject HTML. */
export function describeDistrictPick(layerId: string, o: unknown): string | null {
  if (!layerId.startsWith('districts')) return null;
  const name = (o as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? `District/beat: ${name}` : null;
}
