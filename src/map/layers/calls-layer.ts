import type { Layer } from '@deck.gl/core';
import { deckClasses } from './deck-classes';
import type { CallPoints } from '../../state/session-store';
import { densityRamp, hexToRgba, OKABE_ITO } from '../palette';

export interface CallsLayerOptions {
  zoom: number;
  /** above this many points individual dots stop being readable (and cost GPU) */
  densityAbovePoints?: number;
  /** below this zoom a city's dots merge into a smear; bins say more */
  densityBelowZoom?: number;
  /** from this zoom on, dots come back even for a big dataset: a few streets hold few calls */
  dotsFromZoom?: number;
  /** an explicit choice from the layer panel wins over the automatic switch */
  forceMode?: CallsLayerMode;
  opacity?: number;
  hexRadiusMeters?: number;
}

export type CallsLayerMode = 'points' | 'density';

// Measured on the demo city: 50k dots at zoom 12 fill the whole city with one blue blob
// (tests/e2e/screenshots/02-demo-map.png before this change); 20k is where dots stop reading.
export const DENSITY_ABOVE_POINTS = 20_000;
export const DENSITY_BELOW_ZOOM = 10;
export const DOTS_FROM_ZOOM = 14;

export function callsLayerMode(pointCount: number, options: Pick<CallsLayerOptions, 'zoom' | 'densityAbovePoints' | 'densityBelowZoom' | 'dotsFromZoom' | 'forceMode'>): CallsLayerMode {
  if (options.forceMode) return options.forceMode;
  const maxPoints = options.densityAbovePoints ?? DENSITY_ABOVE_POINTS;
  const minZoom = options.densityBelowZoom ?? DENSITY_BELOW_ZOOM;
  const dotsZoom = options.dotsFromZoom ?? DOTS_FROM_ZOOM;
  if (options.zoom < minZoom) return 'density';
  return pointCount > maxPoints && options.zoom < dotsZoom ? 'density' : 'points';
}

/**
 * Calls as dots or hexagon density. Positions are a binary attribute (interleaved Float64
 * lon/lat from the DuckDB Arrow result): no per-row JS objects, so 1M calls stay cheap.
 */
export function callsLayer(points: CallPoints, options: CallsLayerOptions): Layer {
  const { HexagonLayer, ScatterplotLayer } = deckClasses();
  const { data, density, getPosition } = layerInputs(points);
  if (callsLayerMode(points.length, options) === 'density') {
    // CPU aggregation reads positions through an accessor: deck.gl 9.4's HexagonLayer did not
    // bin the binary attribute (every call landed in one screen-filling hexagon).
    return new HexagonLayer<unknown>({
      id: 'calls-density',
      data: density,
      getPosition,
      radius: options.hexRadiusMeters ?? hexRadiusForZoom(options.zoom),
      colorRange: densityRamp(6),
      colorScaleType: 'quantile',
      opacity: options.opacity ?? 0.7,
      extruded: false,
      pickable: true,
      gpuAggregation: false,
      // a quantile scale puts cells with few calls in the palest class, never invisible
      upperPercentile: 100,
    }) as unknown as Layer;
  }
  return new ScatterplotLayer({
    id: 'calls-points',
    data,
    opacity: options.opacity ?? 1,
    radiusUnits: 'pixels',
    getRadius: 2.6,
    radiusMinPixels: 1.5,
    getFillColor: hexToRgba(OKABE_ITO.blue, 170),
    stroked: true,
    getLineColor: [255, 255, 255, 160],
    lineWidthUnits: 'pixels',
    getLineWidth: 0.5,
    pickable: false,
  }) as unknown as Layer;
}

interface LayerInputs {
  data: { length: number; attributes: { getPosition: { value: CallPoints['positions']; size: 2 } } };
  density: { length: number };
  getPosition: (_: unknown, info: { index: number }) => [number, number];
}

// deck.gl re-uploads (dots) or re-bins (density) when `data` is a new object: the same points
// must give the same objects, so a map redraw that is not a new filter result (a hover, a
// layer toggle, another layer's update) does not re-bin up to 1M calls on the CPU.
const inputsOf = new WeakMap<CallPoints, LayerInputs>();
function layerInputs(points: CallPoints): LayerInputs {
  let inputs = inputsOf.get(points);
  if (!inputs) {
    const at = points.positions;
    inputs = {
      data: { length: points.length, attributes: { getPosition: { value: at, size: 2 } } },
      density: { length: points.length },
      getPosition: (_: unknown, { index }: { index: number }) => [at[2 * index]!, at[2 * index + 1]!],
    };
    inputsOf.set(points, inputs);
  }
  return inputs;
}

/** Roughly 12 hexagons across the screen width at any zoom (zoom 12 ≈ 250 m). */
export function hexRadiusForZoom(zoom: number): number {
  return Math.max(50, Math.round(250 * 2 ** (12 - zoom)));
}
