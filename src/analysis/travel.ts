/**
 * Drive time between patrol places from straight-line distance. No road network is loaded
 * offline, so we use the usual planning approximation: planar metres in the local UTM projection
 * × a detour factor, at an average patrol speed, plus a fixed minute to park and get out.
 */
export interface TravelOptions {
  /**
   * Road distance / straight-line distance. On a street grid the ratio for random directions
   * averages 4/π ≈ 1.27 (Manhattan vs Euclidean); 1.3 leaves a little for one-way streets.
   */
  detourFactor?: number;
  /** Average urban patrol speed between places, signals and turns included. */
  speedKmh?: number;
  /** Parking and getting out at the place, added once per trip. */
  setupMinutes?: number;
}

export const TRAVEL_DEFAULTS: Required<TravelOptions> = { detourFactor: 1.3, speedKmh: 25, setupMinutes: 1 };

export interface PlanarPoint {
  x: number;
  y: number;
}

export function travelMinutes(a: PlanarPoint, b: PlanarPoint, options: TravelOptions = {}): number {
  const o = { ...TRAVEL_DEFAULTS, ...options };
  if (!(o.detourFactor >= 1)) throw new RangeError(`The detour factor must be at least 1 (got ${o.detourFactor}).`);
  if (!(o.speedKmh > 0)) throw new RangeError(`The patrol speed must be a positive number of km/h (got ${o.speedKmh}).`);
  const meters = Math.hypot(a.x - b.x, a.y - b.y) * o.detourFactor;
  if (meters === 0) return 0;
  return (meters / 1000 / o.speedKmh) * 60 + o.setupMinutes;
}
