import type { Layer } from '@deck.gl/core';
import { deckClasses } from './deck-classes';
import { scaleQuantize } from 'd3';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { BASEMAP, densityRamp, hexToRgba, type Rgba } from '../palette';

export type Choropleth = 'none' | 'rate' | 'change';

/** ColorBrewer PuOr (colour-blind safe): purple = fewer calls than the previous period, orange = more. */
export const CHANGE_COLOURS = ['#542788', '#998ec3', '#d8daeb', '#f7f7f7', '#fee0b6', '#f1a340', '#b35806'] as const;
/** Change classes in percent; beyond ±50 % the top class. */
export const CHANGE_BREAKS = [-50, -25, -10, 10, 25, 50] as const;

export interface AreaValue {
  /** calls per km² in the filtered period */
  perKm2: number | null;
  /** percent change, current vs previous comparison period; null when the previous is 0 */
  changePct: number | null;
}

export function changeClass(pct: number): number {
  let k = 0;
  while (k < CHANGE_BREAKS.length && pct >= CHANGE_BREAKS[k]!) k++;
  return k;
}

export function changeColour(pct: number | null, alpha = 200): Rgba {
  return pct === null ? [0, 0, 0, 0] : hexToRgba(CHANGE_COLOURS[changeClass(pct)]!, alpha);
}

/** Rate classes: five equal steps of the observed range (the legend states the cut points). */
export function rateScale(values: readonly number[]): { colour(v: number): Rgba; thresholds: number[] } {
  const max = Math.max(0, ...values);
  const ramp = densityRamp(5);
  const scale = scaleQuantize<[number, number, number]>().domain([0, max || 1]).range(ramp);
  return { colour: (v) => [...scale(v), 190] as Rgba, thresholds: scale.thresholds() };
}

/**
 * Area boundaries drawn by deck.gl above the calls (MapLibre's own outlines sit under the
 * density hexagons), with an optional choropleth fill and the selected area outlined heavier.
 */
export function areasLayer(
  areas: FeatureCollection<Polygon | MultiPolygon>,
  options: { choropleth: Choropleth; values?: ReadonlyMap<string, AreaValue>; opacity?: number; selectedId?: string | null },
): Layer {
  const values = options.values ?? new Map<string, AreaValue>();
  const rates = rateScale([...values.values()].map((v) => v.perKm2 ?? 0));
  const idOf = (f: Feature) => String(f.properties?.id ?? f.id);
  const fill = (f: Feature): Rgba => {
    const v = values.get(idOf(f));
    if (options.choropleth === 'rate') return v?.perKm2 != null ? rates.colour(v.perKm2) : [0, 0, 0, 0];
    if (options.choropleth === 'change') return changeColour(v?.changePct ?? null);
    return [0, 0, 0, 0];
  };
  const { GeoJsonLayer } = deckClasses();
  return new GeoJsonLayer({
    id: 'areas',
    data: areas as FeatureCollection,
    filled: true,
    stroked: true,
    getFillColor: fill,
    getLineColor: (f: Feature) => (idOf(f) === options.selectedId ? [0, 0, 0, 255] : hexToRgba(BASEMAP.areaOutline, 230)),
    getLineWidth: (f: Feature) => (idOf(f) === options.selectedId ? 3 : 1),
    lineWidthUnits: 'pixels',
    opacity: options.opacity ?? 1,
    pickable: true,
    updateTriggers: { getFillColor: [options.choropleth, values], getLineColor: [options.selectedId], getLineWidth: [options.selectedId] },
  }) as unknown as Layer;
}
