import { color, interpolateCividis, quantize } from 'd3';

export type Rgba = [number, number, number, number];

/**
 * Okabe & Ito (2008) colour-universal-design set: distinguishable under the common colour
 * vision deficiencies and in greyscale print, which council briefings end up in.
 */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  black: '#000000',
} as const;

export function hexToRgba(hex: string, alpha = 255): Rgba {
  const c = color(hex)?.rgb();
  return c ? [Math.round(c.r), Math.round(c.g), Math.round(c.b), alpha] : [0, 0, 0, alpha];
}

/**
 * Density ramp: cividis (Nuñez et al. 2018) is perceptually uniform and reads the same for
 * deuteranopes. Reversed so more calls = darker, because the basemap is light.
 */
export function densityRamp(steps = 6): [number, number, number][] {
  return quantize(interpolateCividis, steps)
    .reverse()
    .map((css) => {
      const c = color(css)!.rgb();
      return [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
    });
}

/** Basemap tones: quiet greys so data colours carry the meaning (also on a projector). */
export const BASEMAP = {
  background: '#eceff2',
  areaFill: '#ffffff',
  areaOutline: '#8a94a3',
  route: '#9aa3ae',
  label: '#3b4350',
} as const;
