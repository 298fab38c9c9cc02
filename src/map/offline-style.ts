import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { BASEMAP } from './palette';

/**
 * The default basemap is built in code and needs nothing from the internet: no tiles, no
 * glyphs, no sprites (so no symbol layers; labels are drawn by deck.gl's TextLayer, which
 * rasterises a local font). The context the analyst needs (areas and transit) comes from the
 * files they loaded.
 */
export const CONTEXT_SOURCE_IDS = { areas: 'cs-areas', routes: 'cs-routes' } as const;


export function contextSources(): Record<string, SourceSpecification> {
  return {
    [CONTEXT_SOURCE_IDS.areas]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    [CONTEXT_SOURCE_IDS.routes]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
  };
}

export function contextLayers(): LayerSpecification[] {
  return [
    {
      id: 'cs-areas-fill',
      type: 'fill',
      source: CONTEXT_SOURCE_IDS.areas,
      paint: { 'fill-color': BASEMAP.areaFill, 'fill-opacity': 0.55 },
    },
    {
      id: 'cs-areas-outline',
      type: 'line',
      source: CONTEXT_SOURCE_IDS.areas,
      paint: { 'line-color': BASEMAP.areaOutline, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.6, 15, 1.6] },
    },
    {
      id: 'cs-routes',
      type: 'line',
      source: CONTEXT_SOURCE_IDS.routes,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': BASEMAP.route,
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 15, 2.5],
        'line-dasharray': [3, 1.5],
      },
    },
  ];
}

export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'Callsight offline',
    sources: contextSources(),
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BASEMAP.background } }, ...contextLayers()],
  };
}

/**
 * An opt-in tile style (settings) keeps our context layers on top of the provider's layers,
 * so switching basemaps never hides the loaded areas and routes.
 */
export function withContext(style: StyleSpecification): StyleSpecification {
  return {
    ...style,
    sources: { ...style.sources, ...contextSources() },
    layers: [...style.layers, ...contextLayers()],
  };
}
