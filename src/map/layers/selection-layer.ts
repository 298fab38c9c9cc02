import type { Layer } from '@deck.gl/core';
import { deckClasses } from './deck-classes';
import { hexToRgba, OKABE_ITO } from '../palette';

/** The map-selection rectangle: a dashed-looking thick outline, no fill, so the data shows through. */
export function bboxPolygon(b: [number, number, number, number]): [number, number][] {
  const [w, s, e, n] = b;
  return [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
}

/**
 * A lasso ring on the map, drawn in the same style as the rectangle; `draft` is the ring still
 * being drawn (an open path, so the analyst sees where the closing edge will run).
 */
export function lassoLayer(ring: readonly [number, number][], draft = false): Layer {
  const { PathLayer } = deckClasses();
  const first = ring[0];
  const closed = draft || !first ? ring : [...ring, first];
  return new PathLayer<{ path: readonly [number, number][] }>({
    id: draft ? 'map-lasso-draft' : 'map-lasso',
    data: [{ path: closed }],
    getPath: (d) => d.path as [number, number][],
    getColor: hexToRgba(OKABE_ITO.black, 230),
    getWidth: 2,
    widthUnits: 'pixels',
    pickable: false,
  }) as unknown as Layer;
}

export function selectionLayer(bbox: [number, number, number, number]): Layer {
  const { PolygonLayer } = deckClasses();
  return new PolygonLayer<{ ring: [number, number][] }>({
    id: 'map-selection',
    data: [{ ring: bboxPolygon(bbox) }],
    getPolygon: (d) => d.ring,
    filled: true,
    getFillColor: hexToRgba(OKABE_ITO.orange, 20),
    stroked: true,
    getLineColor: hexToRgba(OKABE_ITO.black, 230),
    getLineWidth: 2,
    lineWidthUnits: 'pixels',
    pickable: false,
  }) as unknown as Layer;
}
