import type { XY } from './geo';
import type { Rng } from './rng';

/**
 * A regular street grid (like many planned US cities): east–west streets carry names,
 * north–south avenues carry numbers, both numbered in hundred-blocks from the south-west
 * corner. Block addresses are obscured to the hundred-block, as open-data exports do.
 */
export const BLOCK_METERS = 150;
const HALF_GRID = 50;
const ORIGIN_METERS = -HALF_GRID * BLOCK_METERS;

const STREET_WORDS = [
  'Acorn', 'Alder', 'Amber', 'Applegate', 'Ash', 'Aspen', 'Aster', 'Bayberry', 'Beacon', 'Birch',
  'Bluebell', 'Bramble', 'Briar', 'Brook', 'Buckeye', 'Butternut', 'Camellia', 'Canary', 'Cardinal', 'Carver',
  'Cedar', 'Chestnut', 'Clover', 'Cobalt', 'Colfax', 'Copper', 'Cottonwood', 'Crescent', 'Cypress', 'Dahlia',
  'Delmar', 'Dogwood', 'Dove', 'Elder', 'Elm', 'Emerson', 'Fairview', 'Fern', 'Finch', 'Foxglove',
  'Garnet', 'Hawthorn', 'Hazel', 'Heron', 'Hickory', 'Holly', 'Indigo', 'Iris', 'Ivy', 'Jasper',
  'Juniper', 'Kestrel', 'Larkspur', 'Laurel', 'Lilac', 'Linden', 'Locust', 'Magnolia', 'Maple', 'Marigold',
  'Meadow', 'Mimosa', 'Mulberry', 'Myrtle', 'Oak', 'Orchard', 'Osage', 'Palmer', 'Pecan', 'Persimmon',
  'Pine', 'Plum', 'Poplar', 'Primrose', 'Quail', 'Quince', 'Redbud', 'Robin', 'Rosewood', 'Rowan',
  'Saffron', 'Sassafras', 'Sequoia', 'Sorrel', 'Sparrow', 'Spruce', 'Sumac', 'Sycamore', 'Tamarack', 'Teal',
  'Thistle', 'Tupelo', 'Verbena', 'Violet', 'Walnut', 'Willow', 'Wisteria', 'Wren', 'Yarrow', 'Yew', 'Zinnia',
] as const;

function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** Grid line index (0..100) of the nearest street line to a coordinate. */
export function lineIndex(v: number): number {
  return Math.max(0, Math.min(2 * HALF_GRID, Math.round((v - ORIGIN_METERS) / BLOCK_METERS)));
}

export function lineCoord(index: number): number {
  return ORIGIN_METERS + index * BLOCK_METERS;
}

export function eastWestStreet(index: number): string {
  return `${STREET_WORDS[index % STREET_WORDS.length]} St`;
}

export function northSouthAvenue(index: number): string {
  return `${ordinal(index + 1)} Ave`;
}

function hundred(v: number): number {
  return Math.floor((v - ORIGIN_METERS) / BLOCK_METERS) + 1;
}

export interface Placed extends XY {
  blockAddress: string;
}

/** The hundred-block an on-street point belongs to. */
export function blockAddressOf(p: XY, onEastWest: boolean): string {
  return onEastWest
    ? `${hundred(p.x)}XX ${eastWestStreet(lineIndex(p.y))}`
    : `${hundred(p.y)}XX ${northSouthAvenue(lineIndex(p.x))}`;
}

/**
 * Move a point onto the nearest street frontage (a few metres off the centre line, as
 * geocoded addresses are) and name its block.
 */
export function snapToStreet(p: XY, rng: Rng): Placed {
  const yLine = lineCoord(lineIndex(p.y));
  const xLine = lineCoord(lineIndex(p.x));
  const setbackMeters = rng.uniform(-9, 9);
  if (Math.abs(p.y - yLine) <= Math.abs(p.x - xLine)) {
    const q = { x: p.x, y: yLine + setbackMeters };
    return { ...q, blockAddress: blockAddressOf({ x: p.x, y: yLine }, true) };
  }
  const q = { x: xLine + setbackMeters, y: p.y };
  return { ...q, blockAddress: blockAddressOf({ x: xLine, y: p.y }, false) };
}

/** Name of the intersection nearest to a point, as stop names read. */
export function intersectionName(p: XY): string {
  return `${eastWestStreet(lineIndex(p.y))} & ${northSouthAvenue(lineIndex(p.x))}`;
}
