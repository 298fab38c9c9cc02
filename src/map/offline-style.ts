import type { StyleSpecification } from 'maplibre-gl';
import { BASEMAP } from './palette';

/**
 * The default basemap is built in code and needs nothing from the internet: no tiles, no
 * glyphs, no sprites, and no sources at all. The context the analyst needs (areas and transit)
 * comes from the files they loaded and is drawn by deck.gl (layers/context-layers.ts), labels
 * by deck.gl's TextLayer. A style without sources is "loaded" one frame after the map is built:
 * MapLibre's `load` and `idle` no longer wait for its worker to start and tile GeoJSON (issue #8).
 */
export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'Callsight offline',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BASEMAP.background } }],
  };
}
