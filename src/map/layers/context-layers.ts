import type { Layer } from '@deck.gl/core';
import { lineChunk } from '@turf/turf';
import type { FeatureCollection, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { BASEMAP, hexToRgba } from '../palette';
import { deckClasses } from './deck-classes';

/**
 * The loaded context (area fills and outlines, transit routes) drawn by deck.gl at the bottom
 * of the overlay, under every data layer.
 *
 * Why not MapLibre GeoJSON sources (issue #8): MapLibre's `load`/`idle` wait until its worker
 * has started (a 520 kB module) and tiled every GeoJSON source, which took 2-5 s after the map
 * mounted on the shared 2-core machine, while deck.gl drew the same shapes in its first frame.
 * With the style reduced to a background, MapLibre has nothing to wait for.
 */
export const CONTEXT_LAYER_IDS = { areas: 'context-areas', routes: 'context-routes' } as const;

export interface ContextShapes {
  areas: FeatureCollection<Polygon | MultiPolygon> | null;
  routes: FeatureCollection<LineString> | null;
}

/** The width MapLibre interpolated linearly from zoom 10 to 15 (clamped outside), in pixels. */
export function widthAtZoom(zoom: number, atZoom10Px: number, atZoom15Px: number): number {
  const t = Math.min(1, Math.max(0, (zoom - 10) / 5));
  return atZoom10Px + t * (atZoom15Px - atZoom10Px);
}

/**
 * Routes as dashes of about 6 px with 3 px gaps at this zoom (the old style's dasharray 3,1.5
 * line widths). @deck.gl/extensions (PathStyleExtension) is not installed, so the lines are cut
 * with turf: two chunks of every three are kept. Web-mercator metres per pixel ≈ 156543 / 2^z
 * (latitude ignored: only the look depends on it).
 */
export function routeDashes(routes: FeatureCollection<LineString>, zoomLevel: number): Position[][] {
  const chunkMeters = Math.max(2, (3 * 156543) / 2 ** Math.floor(zoomLevel));
  const out: Position[][] = [];
  for (const f of routes.features) {
    if (f.geometry?.type !== 'LineString' || f.geometry.coordinates.length < 2) continue;
    lineChunk(f, chunkMeters, { units: 'meters' }).features.forEach((c, i) => {
      if (i % 3 !== 2) out.push(c.geometry.coordinates);
    });
  }
  return out;
}

export function contextLayers(shapes: ContextShapes, o: { zoom: number; dashes: Position[][] }): Layer[] {
  const { GeoJsonLayer, PathLayer } = deckClasses();
  const out: Layer[] = [];
  if (shapes.areas?.features.length) {
    out.push(
      new GeoJsonLayer({
        id: CONTEXT_LAYER_IDS.areas,
        data: shapes.areas as FeatureCollection,
        filled: true,
        stroked: true,
        // the old MapLibre fill: white at 55 % so the areas read as land against the background
        getFillColor: hexToRgba(BASEMAP.areaFill, Math.round(0.55 * 255)),
        getLineColor: hexToRgba(BASEMAP.areaOutline),
        getLineWidth: widthAtZoom(o.zoom, 0.6, 1.6),
        lineWidthUnits: 'pixels',
        pickable: false,
        updateTriggers: { getLineWidth: [o.zoom] },
      }) as unknown as Layer,
    );
  }
  if (shapes.routes?.features.length && o.dashes.length) {
    out.push(
      new PathLayer<Position[]>({
        id: CONTEXT_LAYER_IDS.routes,
        data: o.dashes,
        getPath: (p) => p as [number, number][],
        getColor: hexToRgba(BASEMAP.route),
        getWidth: widthAtZoom(o.zoom, 0.8, 2.5),
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
        pickable: false,
        updateTriggers: { getWidth: [o.zoom] },
      }) as unknown as Layer,
    );
  }
  return out;
}
