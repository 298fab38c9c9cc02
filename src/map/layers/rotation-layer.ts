import type { Layer } from '@deck.gl/core';
import { PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { ROTATION_PICK_ID, type RotationRoute, type RotationStop, rotationRoutes, unitColour } from '../rotation-stops';
import { hexToRgba, type Rgba } from '../palette';

export { describeStop, ROTATION_PICK_ID, type RotationRoute, type RotationStop, rotationRoutes, rotationStops, shiftClock, UNIT_COLOURS, unitColour } from '../rotation-stops';

/**
 * The selected shift's rotation: route lines per unit, a numbered disc per place in the unit's
 * colour (the number is the visit order). Numbers carry the order in black-and-white and for
 * colour-blind readers; colour only groups by unit.
 */
export function rotationLayers(stops: readonly RotationStop[], options: { opacity?: number; selectedId?: string | null } = {}): Layer[] {
  const opacity = options.opacity ?? 1;
  const routes = new PathLayer<RotationRoute>({
    id: 'rotation-routes',
    data: rotationRoutes(stops),
    getPath: (r) => r.path,
    getColor: (r) => hexToRgba(unitColour(r.unitIndex), 200),
    getWidth: 3,
    widthUnits: 'pixels',
    opacity,
    pickable: false,
  }) as unknown as Layer;
  const discs = new ScatterplotLayer<RotationStop>({
    id: ROTATION_PICK_ID,
    data: stops as RotationStop[],
    getPosition: (s) => s.position,
    getRadius: (s) => (s.placeId === options.selectedId ? 14 : 11),
    radiusUnits: 'pixels',
    getFillColor: (s) => hexToRgba(unitColour(s.unitIndex), 255),
    getLineColor: (s): Rgba => (s.placeId === options.selectedId ? [0, 0, 0, 255] : [255, 255, 255, 255]),
    getLineWidth: 2,
    lineWidthUnits: 'pixels',
    stroked: true,
    opacity,
    pickable: true,
    updateTriggers: { getRadius: [options.selectedId], getLineColor: [options.selectedId] },
  }) as unknown as Layer;
  const numbers = new TextLayer<RotationStop>({
    id: 'rotation-numbers',
    data: stops as RotationStop[],
    getPosition: (s) => s.position,
    getText: (s) => String(s.number),
    getSize: 13,
    getColor: (s) => (textIsBlack(unitColour(s.unitIndex)) ? [0, 0, 0, 255] : [255, 255, 255, 255]),
    fontWeight: 700,
    fontFamily: 'system-ui, "Segoe UI", Roboto, sans-serif',
    characterSet: '0123456789',
    opacity,
    pickable: false,
  }) as unknown as Layer;
  return [routes, discs, numbers];
}

/** Black numbers on light unit colours (orange, sky blue, yellow), white on dark ones, by WCAG luminance. */
function textIsBlack(hex: string): boolean {
  const [r, g, b] = hexToRgba(hex).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05);
}
