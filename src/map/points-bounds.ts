import type { CallPoints } from '../state/session-store';

/**
 * Bounds of the calls, trimmed to the 0.5–99.5 % quantiles per axis: one call geocoded to
 * another state would otherwise zoom the whole city into a dot.
 */
export function pointsBounds(points: CallPoints, trim = 0.005): [number, number, number, number] | null {
  const n = points.length;
  if (n === 0) return null;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lon[i] = points.positions[2 * i]!;
    lat[i] = points.positions[2 * i + 1]!;
  }
  lon.sort();
  lat.sort();
  const lo = Math.floor(trim * (n - 1));
  const hi = Math.ceil((1 - trim) * (n - 1));
  return [lon[lo]!, lat[lo]!, lon[hi]!, lat[hi]!];
}
