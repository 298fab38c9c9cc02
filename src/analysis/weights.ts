/**
 * Binary neighbour lists on planar coordinates (metres in a projected CRS, so distances
 * agree with R spdep on identical coordinates; methods.md §0). Stored as CSR arrays so a
 * 50k-cell grid stays a few typed arrays instead of 50k small JS arrays.
 */
import { bucketPoints, type PointBuckets } from './point-buckets';

export interface NeighbourList {
  /** number of locations */
  n: number;
  /** neighbours of i are indices[offsets[i] .. offsets[i+1]), ascending */
  offsets: Int32Array;
  indices: Int32Array;
  /** true when every location lists itself (Gi*, spdep `include.self`) */
  selfIncluded: boolean;
}

export interface BandOptions {
  /** include i in its own list (Gi*); default true */
  includeSelf?: boolean;
}

/** The neighbours of location i, as a subarray view (no copy). */
export function neighboursOf(list: NeighbourList, i: number): Int32Array {
  return list.indices.subarray(list.offsets[i]!, list.offsets[i + 1]!);
}

/** Uniform grid hash: the simplest index that makes both band and kNN queries local. */
function buildGrid(xs: ArrayLike<number>, ys: ArrayLike<number>, cellMeters: number): PointBuckets {
  return bucketPoints(
    xs,
    ys,
    // Cap the grid size so a tiny band on a huge extent cannot allocate billions of cells.
    (extentX, extentY) => Math.max(cellMeters, Math.max(extentX, extentY, 1e-9) / 4096, 1e-9),
    (i, x, y) => `Location ${i} has no usable coordinates (${x}, ${y}); drop or fix it before building neighbours.`,
  );
}

function toCsr(n: number, lists: number[][], selfIncluded: boolean): NeighbourList {
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + lists[i]!.length;
  const indices = new Int32Array(offsets[n]!);
  for (let i = 0; i < n; i++) indices.set(lists[i]!, offsets[i]!);
  return { n, offsets, indices, selfIncluded };
}

/**
 * Fixed distance band: j is a neighbour of i when d_ij ≤ radiusMeters (closed, as spdep
 * `dnearneigh(xy, 0, D)`), so coincident points are neighbours of each other.
 */
export function distanceBand(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  radiusMeters: number,
  options: BandOptions = {},
): NeighbourList {
  if (!(radiusMeters >= 0) || !Number.isFinite(radiusMeters)) {
    throw new RangeError(`The neighbourhood distance must be a finite number of metres ≥ 0, got ${radiusMeters}.`);
  }
  const includeSelf = options.includeSelf ?? true;
  const n = xs.length;
  const grid = buildGrid(xs, ys, radiusMeters);
  const reach = Math.ceil(radiusMeters / grid.cellSize);
  // Built straight into CSR with typed buffers: 50k small JS arrays cost more than the search.
  const offsets = new Int32Array(n + 1);
  let indices = new Int32Array(Math.max(16, n * 8));
  let used = 0;
  let found = new Int32Array(64);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    const cx = Math.floor((x - grid.minX) / grid.cellSize);
    const cy = Math.floor((y - grid.minY) / grid.cellSize);
    let count = 0;
    for (let gy = Math.max(0, cy - reach); gy <= Math.min(grid.rows - 1, cy + reach); gy++) {
      for (let gx = Math.max(0, cx - reach); gx <= Math.min(grid.cols - 1, cx + reach); gx++) {
        const c = gx + gy * grid.cols;
        for (let s = grid.start[c]!; s < grid.start[c + 1]!; s++) {
          const j = grid.items[s]!;
          const dx = xs[j]! - x;
          const dy = ys[j]! - y;
          // sqrt of the sum, as spdep does, so boundary cases round the same way
          if (j === i ? includeSelf : Math.sqrt(dx * dx + dy * dy) <= radiusMeters) {
            if (count === found.length) found = grow(found);
            found[count++] = j;
          }
        }
      }
    }
    found.subarray(0, count).sort();
    while (used + count > indices.length) indices = grow(indices);
    indices.set(found.subarray(0, count), used);
    used += count;
    offsets[i + 1] = used;
  }
  return { n, offsets, indices: indices.slice(0, used), selfIncluded: includeSelf };
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

/**
 * k nearest neighbours of each location (not counting itself), plus itself when
 * `includeSelf` (spdep `include.self(knn2nb(knearneigh(xy, k)))`). Ties at the k-th distance
 * go to the lower index. The relation is asymmetric.
 */
export function kNearest(xs: ArrayLike<number>, ys: ArrayLike<number>, k: number, options: BandOptions = {}): NeighbourList {
  const n = xs.length;
  if (!Number.isInteger(k) || k < 1 || k >= n) {
    throw new RangeError(`k nearest neighbours needs a whole number k between 1 and ${n - 1} (one less than the number of locations), got ${k}.`);
  }
  const includeSelf = options.includeSelf ?? true;
  // About k points per cell keeps each search to a few rings.
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, xs[i]!);
    maxX = Math.max(maxX, xs[i]!);
    minY = Math.min(minY, ys[i]!);
    maxY = Math.max(maxY, ys[i]!);
  }
  const w = maxX - minX;
  const h = maxY - minY;
  const cellGuess = w > 0 && h > 0 ? Math.sqrt((w * h * k) / n) : (Math.max(w, h) * k) / n;
  let grid = buildGrid(xs, ys, cellGuess > 0 ? cellGuess : 1);
  // Call data is clustered: a bbox-based cell leaves hundreds of points per downtown cell.
  // Shrink until the cell holding a typical point has a few times k points.
  for (let pass = 0; pass < 4; pass++) {
    let occupancy = 0;
    for (let c = 0; c + 1 < grid.start.length; c++) occupancy += (grid.start[c + 1]! - grid.start[c]!) ** 2;
    occupancy /= n;
    if (occupancy <= 4 * Math.max(k, 2)) break;
    grid = buildGrid(xs, ys, grid.cellSize / Math.sqrt(occupancy / Math.max(k, 2)));
  }
  const lists: number[][] = new Array(n);
  const bestD = new Float64Array(k);
  const bestJ = new Int32Array(k);
  const maxRing = Math.max(grid.cols, grid.rows);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    const cx = Math.floor((x - grid.minX) / grid.cellSize);
    const cy = Math.floor((y - grid.minY) / grid.cellSize);
    let count = 0;
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let gy = cy - ring; gy <= cy + ring; gy++) {
        if (gy < 0 || gy >= grid.rows) continue;
        const edgeRow = gy === cy - ring || gy === cy + ring;
        const step = edgeRow || ring === 0 ? 1 : 2 * ring;
        for (let gx = cx - ring; gx <= cx + ring; gx += step) {
          if (gx < 0 || gx >= grid.cols) continue;
          const c = gx + gy * grid.cols;
          for (let s = grid.start[c]!; s < grid.start[c + 1]!; s++) {
            const j = grid.items[s]!;
            if (j === i) continue;
            const d = Math.sqrt((xs[j]! - x) ** 2 + (ys[j]! - y) ** 2);
            if (count === k && (d > bestD[k - 1]! || (d === bestD[k - 1]! && j > bestJ[k - 1]!))) continue;
            let p = count < k ? count++ : k - 1;
            while (p > 0 && (bestD[p - 1]! > d || (bestD[p - 1]! === d && bestJ[p - 1]! > j))) {
              bestD[p] = bestD[p - 1]!;
              bestJ[p] = bestJ[p - 1]!;
              p--;
            }
            bestD[p] = d;
            bestJ[p] = j;
          }
        }
      }
      // Unvisited points lie in rings > ring, so at least ring·cell away; strict < keeps
      // an equally distant lower index from being missed.
      if (count === k && bestD[k - 1]! < ring * grid.cellSize) break;
    }
    const found = Array.from(bestJ.subarray(0, count));
    if (includeSelf) found.push(i);
    lists[i] = found.sort((a, b) => a - b);
  }
  return toCsr(n, lists, includeSelf);
}

/** Add each location to its own list (spdep `include.self`), e.g. for a list built elsewhere. */
export function withSelf(list: NeighbourList): NeighbourList {
  if (list.selfIncluded) return list;
  const lists: number[][] = [];
  for (let i = 0; i < list.n; i++) {
    const own = Array.from(neighboursOf(list, i));
    if (!own.includes(i)) own.push(i);
    lists.push(own.sort((a, b) => a - b));
  }
  return toCsr(list.n, lists, true);
}

/** Build a list from plain arrays (e.g. contiguity computed elsewhere). */
export function fromArrays(lists: readonly (readonly number[])[], selfIncluded: boolean): NeighbourList {
  return toCsr(
    lists.length,
    lists.map((l) => [...l].sort((a, b) => a - b)),
    selfIncluded,
  );
}
