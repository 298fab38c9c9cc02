/**
 * Points bucketed into square cells by a counting sort: the spatial index behind the Gi*
 * neighbour lists (weights.ts) and grid DBSCAN (dbscan.ts). Items of cell c are
 * `items[start[c] .. start[c + 1])`, in input order within a cell; `cellOf[i]` is point i's
 * cell. The caller chooses the cell size from the extent, so each can cap the number of cells
 * (a far-off geocode must widen the cells, not allocate millions of empty ones).
 */
export interface PointBuckets {
  minX: number;
  minY: number;
  cellSize: number;
  cols: number;
  rows: number;
  start: Int32Array;
  items: Int32Array;
  cellOf: Int32Array;
}

export function bucketPoints(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  /** the cell size for this extent (max − min on each axis) */
  cellSizeFor: (extentX: number, extentY: number) => number,
  /** the error for a point without finite coordinates: the caller says what to do about it */
  unusable: (i: number, x: number, y: number) => string,
): PointBuckets {
  const n = x.length;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) throw new RangeError(unusable(i, xi, yi));
    if (xi < minX) minX = xi;
    if (yi < minY) minY = yi;
    if (xi > maxX) maxX = xi;
    if (yi > maxY) maxY = yi;
  }
  const cellSize = cellSizeFor(maxX - minX, maxY - minY);
  const cols = Math.floor((maxX - minX) / cellSize) + 1;
  const rows = Math.floor((maxY - minY) / cellSize) + 1;
  const cellOf = new Int32Array(n);
  const start = new Int32Array(cols * rows + 1);
  for (let i = 0; i < n; i++) {
    // clamped: rounding must never put a point outside the grid
    const c = Math.min(cols - 1, Math.floor((x[i]! - minX) / cellSize)) + cols * Math.min(rows - 1, Math.floor((y[i]! - minY) / cellSize));
    cellOf[i] = c;
    start[c + 1]!++;
  }
  for (let c = 0; c < cols * rows; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, cols * rows);
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) items[fill[cellOf[i]!]!++] = i;
  return { minX, minY, cellSize, cols, rows, start, items, cellOf };
}
