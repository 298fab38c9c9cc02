/**
 * The demo city lives in a local metric frame (x east, y north, metres from the city
 * centre) and is published in WGS 84. The centre sits over rural farmland in west
 * Tennessee, deliberately NOT on a real city, inside the America/Chicago time zone, so
 * nobody mistakes synthetic police calls for incidents at real addresses.
 */
export const CENTER_LON = -89.6;
export const CENTER_LAT = 35.45;

const METERS_PER_DEG_LAT = 110_574;
const METERS_PER_DEG_LON = 111_320 * Math.cos((CENTER_LAT * Math.PI) / 180);

/** Turf's earth radius, so distances agree with the app's analysis (methods.md §0). */
export const EARTH_RADIUS_METERS = 6_371_008.8;

export interface XY {
  x: number;
  y: number;
}

/** Equirectangular around the centre: < 0.1 % distance error across a 15 km city. */
export function toLonLat(p: XY): [number, number] {
  return [round6(CENTER_LON + p.x / METERS_PER_DEG_LON), round6(CENTER_LAT + p.y / METERS_PER_DEG_LAT)];
}

export function toXY(lon: number, lat: number): XY {
  return { x: (lon - CENTER_LON) * METERS_PER_DEG_LON, y: (lat - CENTER_LAT) * METERS_PER_DEG_LAT };
}

/** 6 decimals ≈ 0.1 m: finer than any geocoder, and keeps files byte-stable. */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

export function haversineMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function distXY(a: XY, b: XY): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
