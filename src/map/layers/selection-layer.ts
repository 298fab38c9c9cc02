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
