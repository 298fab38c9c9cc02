import type { Layer } from '@deck.gl/core';
import { deckClasses } from './deck-classes';
import { pointOnFeature } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { BASEMAP, hexToRgba } from '../palette';

export interface AreaLabel {
  name: string;
  position: [number, number];
}

/**
 * Label anchors via pointOnFeature, not the centroid: a crescent-shaped neighbourhood's
 * centroid falls outside it and the label would name the wrong place.
 */
export function areaLabels(areas: FeatureCollection<Polygon | MultiPolygon>, nameProperty?: string): AreaLabel[] {
  return areas.features.map((f, i) => {
    const props = f.properties ?? {};
    const name = String(props[nameProperty ?? 'name'] ?? props.name ?? f.id ?? `Area ${i + 1}`);
    const p = pointOnFeature(f).geometry.coordinates;
    return { name, position: [p[0]!, p[1]!] };
  });
}

export function areaLabelsLayer(labels: AreaLabel[], options: { zoom: number }): Layer {
  const { TextLayer } = deckClasses();
  return new TextLayer<AreaLabel>({
    id: 'area-labels',
    data: labels,
    getText: (d) => d.name,
    getPosition: (d) => d.position,
    getColor: hexToRgba(BASEMAP.label, 200),
    getSize: 11,
    sizeUnits: 'pixels',
    fontFamily: 'system-ui, "Segoe UI", Roboto, sans-serif',
    fontWeight: 600,
    characterSet: 'auto',
    outlineWidth: 3,
    outlineColor: [255, 255, 255, 220],
    fontSettings: { sdf: true },
    // Names of 70 neighbourhoods overlap at city scale; show them once there is room.
    visible: options.zoom >= 12,
  }) as unknown as Layer;
}
