import { color, interpolateCividis, interpolatePuOr, interpolateViridis } from 'd3';

/**
 * Colour for charts. Sequential ramps are viridis/cividis (perceptually uniform, readable with
 * deuteranopia and in greyscale print); the diverging ramp is ColorBrewer PuOr, one of the
 * colour-blind-safe diverging schemes. Categorical tiers use Okabe & Ito (2008).
 */
export type SequentialName = 'viridis' | 'cividis';

const hex = (css: string): string => color(css)?.formatHex() ?? '#000000';

/**
 * 0 → light, max → dark (the ramps are reversed: charts sit on white, and "more" should read
 * as "more ink"). Zero gets its own near-white so an empty cell never looks like a low count.
 */
export function sequential(max: number, name: SequentialName = 'cividis'): (value: number) => string {
  const ramp = name === 'viridis' ? interpolateViridis : interpolateCividis;
  return (v) => {
    if (!(v > 0) || !(max > 0)) return EMPTY;
    // Square root: counts are skewed, and a linear ramp paints all but the peak the same pale tone.
    const t = Math.sqrt(Math.min(1, v / max));
    return hex(ramp(1 - (0.1 + 0.9 * t)));
  };
}

/** Change colour: increases orange, decreases purple, 0 neutral; symmetric around 0. */
export function diverging(maxAbs: number): (value: number) => string {
  return (v) => {
    if (!Number.isFinite(v) || !(maxAbs > 0)) return NEUTRAL;
    const t = Math.max(-1, Math.min(1, v / maxAbs));
    // d3's PuOr runs purple (0) → orange (1).
    return hex(interpolatePuOr(0.5 + t * 0.45));
  };
}

export const EMPTY = '#f6f7f9';
export const NEUTRAL = '#f2f2f2';

export const TIER_COLOURS: Record<'1' | '2' | '3' | 'unknown', string> = {
  '1': '#56B4E9',
  '2': '#E69F00',
  '3': '#D55E00',
  unknown: '#999999',
};
export const TIER_NAMES: Record<'1' | '2' | '3' | 'unknown', string> = {
  '1': 'Tier 1 (minor)',
  '2': 'Tier 2 (beat officer)',
  '3': 'Tier 3 (rapid response)',
  unknown: 'Tier unknown',
};

export const BAR = '#0072B2';

/** Black or white text on a fill, whichever has the higher WCAG contrast ratio. */
export function textOn(fill: string): string {
  const c = color(fill)?.rgb();
  if (!c) return '#000000';
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}
