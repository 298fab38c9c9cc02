import type { Layer } from '@deck.gl/core';
import { deckClasses } from './deck-classes';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { hexToRgba, OKABE_ITO } from '../palette';

export interface StopsLayerOptions {
  zoom: number;
  /** stop ids flagged as hubs (e.g. by the transit analysis) are drawn larger */
  hubIds?: ReadonlySet<string>;
  opacity?: number;
}

/** Transit stops as small rings; hubs in vermillion so they read against blue calls. */
export function stopsLayer(stops: FeatureCollection<Point>, options: StopsLayerOptions): Layer {
  const hubs = options.hubIds ?? new Set<string>();
  const isHub = (f: Feature<Point>) => hubs.has(String(f.properties?.id ?? f.id));
  // Hundreds of stops clutter the city view; hubs stay, the rest come back on a corridor.
  const data = options.zoom >= 12.5 ? stops.features : stops.features.filter(isHub);
  const { ScatterplotLayer } = deckClasses();
  return new ScatterplotLayer<Feature<Point>>({
    id: 'transit-stops',
    data,
    opacity: options.opacity ?? 1,
    getPosition: (f) => f.geometry.coordinates as [number, number],
    radiusUnits: 'pixels',
    getRadius: (f) => (isHub(f) ? 6 : 2.5),
    stroked: true,
    filled: true,
    getFillColor: (f) => (isHub(f) ? hexToRgba(OKABE_ITO.vermillion, 230) : [255, 255, 255, 230]),
    getLineColor: hexToRgba(OKABE_ITO.black, 200),
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    // Thousands of stops clutter the city view; they matter once an analyst zooms to a corridor.
    visible: options.zoom >= 12.5 || hubs.size > 0,
    pickable: true,
    updateTriggers: { getRadius: [hubs], getFillColor: [hubs] },
  }) as unknown as Layer;
}
