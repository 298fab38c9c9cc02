/**
 * Evidence → expected calls per cell and shift, and the candidate places the planner ranks:
 * significant Gi* hot cells, repeat-report clusters and hub surroundings, merged by cell so one
 * corner is one place however many reasons point at it.
 */
import { parseSquareCellId, type SquareGridSpec, squareCellCenter, squareCellId } from './binning';
import { type EmergingCategory, emergingHotSpots } from './emerging';
import { bhAdjust } from './fdr';
import { giBin, giStar } from './gi-star';
import { type LocalProjection, localProjection } from './local-projection';
import { createProximityIndex, type Site } from './proximity';
import { distanceBand } from './weights';

/** Weight of a call `ageDays` before the end of the evidence window: 0.5^(age / halfLife). */
export function recencyWeight(ageDays: number, halfLifeDays: number): number {
  return halfLifeDays === Number.POSITIVE_INFINITY ? 1 : 0.5 ** (ageDays / halfLifeDays);
}

/**
 * Σ of day weights over the window, each day at its midpoint. Dividing a cell's weighted count by
 * it gives a weighted mean DAILY count, so windows and half-lives of any length stay comparable
 * and an infinite half-life gives the plain mean.
 */
export function recencyNormaliser(evidenceDays: number, halfLifeDays: number): number {
  let s = 0;
  for (let d = 0; d < evidenceDays; d++) s += recencyWeight(d + 0.5, halfLifeDays);
  return s;
}

/** One row of the evidence query (src/data/queries/rotation.ts cellHourEvidence). */
export interface EvidenceRow {
  col: number;
  row: number;
  hour: number;
  typeCode: string;
  typeText: string;
  areaId: string | null;
  district: string | null;
  /** most frequent block address of the group (hundred block), when the data has one */
  blockAddress?: string | null;
  calls: number;
  weighted: number;
  recent: number;
  referral: number;
  selfInitiated: number;
}

export interface CellEvidence {
  id: string;
  col: number;
  row: number;
  calls: number;
  recent: number;
  referral: number;
  selfInitiated: number;
  /** recency-weighted calls by hour of day */
  weightedByHour: Float64Array;
  recentByHour: Float64Array;
  callsByHour: Float64Array;
  /** referral-suited calls by hour of day: the referral rule judges each shift's hours (rotation.ts) */
  referralByHour: Float64Array;
  areaId: string | null;
  district: string | null;
  /** the block address most of the cell's calls carry */
  address: string | null;
  types: Map<string, number>;
}

/** Per-cell totals; the area and district are those most of the cell's calls carry. */
export function cellEvidence(rows: readonly EvidenceRow[]): Map<string, CellEvidence> {
  const cells = new Map<string, CellEvidence>();
  const areaVotes = new Map<string, Map<string, number>>();
  const addressVotes = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const id = squareCellId(r.col, r.row);
    let c = cells.get(id);
    if (!c) {
      c = { id, col: r.col, row: r.row, calls: 0, recent: 0, referral: 0, selfInitiated: 0, weightedByHour: new Float64Array(24), recentByHour: new Float64Array(24), callsByHour: new Float64Array(24), referralByHour: new Float64Array(24), areaId: null, district: null, address: null, types: new Map() };
      cells.set(id, c);
    }
    c.calls += r.calls;
    c.recent += r.recent;
    c.referral += r.referral;
    c.selfInitiated += r.selfInitiated;
    c.weightedByHour[r.hour]! += r.weighted;
    c.recentByHour[r.hour]! += r.recent;
    c.callsByHour[r.hour]! += r.calls;
    c.referralByHour[r.hour]! += r.referral;
    const label = r.typeText || r.typeCode;
    c.types.set(label, (c.types.get(label) ?? 0) + r.calls);
    const votes = areaVotes.get(id) ?? new Map<string, number>();
    const key = `${r.areaId ?? ''}\u0000${r.district ?? ''}`;
    votes.set(key, (votes.get(key) ?? 0) + r.calls);
    areaVotes.set(id, votes);
    if (r.blockAddress) {
      const addr = addressVotes.get(id) ?? new Map<string, number>();
      addr.set(r.blockAddress, (addr.get(r.blockAddress) ?? 0) + r.calls);
      addressVotes.set(id, addr);
    }
  }
  for (const [id, votes] of addressVotes) cells.get(id)!.address = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  for (const [id, votes] of areaVotes) {
    const [best] = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const [area, district] = best![0].split('\u0000');
    const c = cells.get(id)!;
    c.areaId = area || null;
    c.district = district || null;
  }
  return cells;
}

export interface CellSignificance {
  z: number;
  q: number;
  bin: number;
}

/**
 * Gi* per cell on the window's counts, queen neighbourhood (band of 1.5 cells, self included), BH
 * across cells, ArcGIS-style bins (§1, §2). Empty cells count 0: the domain is the study area's
 * cells when given (study-area.ts squareCellsInRegion over the loaded areas) plus any cell with
 * calls; otherwise the rectangle around the cells with calls, a fallback that also counts parks
 * and rivers as quiet places.
 */
export function cellGiStar(cells: ReadonlyMap<string, CellEvidence>, cellMeters: number, studyCells?: readonly (readonly [number, number])[]): Map<string, CellSignificance> {
  const list = [...cells.values()];
  if (list.length === 0) return new Map();
  const domain = new Map<string, [number, number]>();
  if (studyCells) {
    for (const [c, r] of studyCells) domain.set(squareCellId(c, r), [c, r]);
  } else {
    const minC = Math.min(...list.map((c) => c.col));
    const maxC = Math.max(...list.map((c) => c.col));
    const minR = Math.min(...list.map((c) => c.row));
    const maxR = Math.max(...list.map((c) => c.row));
    for (let c = minC; c <= maxC; c++) for (let r = minR; r <= maxR; r++) domain.set(squareCellId(c, r), [c, r]);
  }
  for (const c of list) domain.set(c.id, [c.col, c.row]);
  const ids = [...domain.keys()];
  const values = Float64Array.from(ids, (id) => cells.get(id)?.calls ?? 0);
  const xs = Float64Array.from(ids, (id) => domain.get(id)![0] * cellMeters);
  const ys = Float64Array.from(ids, (id) => domain.get(id)![1] * cellMeters);
  const gi = giStar(values, distanceBand(xs, ys, cellMeters * 1.5));
  const q = bhAdjust(gi.map((g) => g.p));
  const out = new Map<string, CellSignificance>();
  ids.forEach((id, i) => {
    if (cells.has(id)) out.set(id, { z: gi[i]!.z, q: q[i]!, bin: giBin(gi[i]!.z, q[i]!) });
  });
  return out;
}

/** Emerging hot spot category per cell from daily counts binned into weeks (§4 defaults). */
export function cellTrends(daily: readonly { col: number; row: number; day: number; calls: number }[], days: number, cellMeters: number): Map<string, EmergingCategory> {
  const weeks = Math.floor(days / 7);
  const ids = [...new Set(daily.map((d) => squareCellId(d.col, d.row)))].sort();
  if (weeks < 4 || ids.length < 3) return new Map();
  const index = new Map(ids.map((id, i) => [id, i]));
  const values = new Float64Array(ids.length * weeks);
  // Weeks are counted back from the end so the last (most recent) week is always complete.
  const offset = days - weeks * 7;
  for (const d of daily) {
    const w = Math.floor((d.day - offset) / 7);
    if (w >= 0 && w < weeks) values[index.get(squareCellId(d.col, d.row))! * weeks + w]! += d.calls;
  }
  const xy = ids.map((id) => parseSquareCellId(id)!);
  const nb = distanceBand(
    xy.map(([c]) => c * cellMeters),
    xy.map(([, r]) => r * cellMeters),
    cellMeters * 1.5,
  );
  const result = emergingHotSpots({ nLocations: ids.length, nSteps: weeks, values }, nb);
  return new Map(ids.map((id, i) => [id, result.locations[i]!.category]));
}

export interface ClusterFact {
  id: string;
  centroid: [lon: number, lat: number];
  calls: number;
  distinctNights: number;
  windowLabel: string;
  firstDate: string;
  lastDate: string;
}

export type PlaceReason = 'hotspot' | 'cluster' | 'hub';

export interface CandidatePlace {
  id: string;
  label: string;
  cells: string[];
  center: [lon: number, lat: number];
  reasons: PlaceReason[];
  clusters: ClusterFact[];
  hub: { id: string; name: string; distanceMeters: number } | null;
  nearestHub: { id: string; name: string; distanceMeters: number } | null;
  areaId: string | null;
  district: string | null;
  /** block address of the place's busiest cell: what an officer can find on the street */
  address: string | null;
}

export interface CandidateOptions {
  grid: SquareGridSpec;
  /** a hot cell needs Gi* bin ≥ this (2 = q ≤ .05) … */
  minGiBin?: number;
  /** … and at least this many calls in the window */
  minCalls?: number;
  hubs?: readonly Site[];
  /** cells whose centre is within this of a hub make up its surroundings */
  hubRadiusMeters?: number;
  clusters?: readonly ClusterFact[];
  projection?: LocalProjection;
  /** adjacent hot cells merge into one place up to this many cells (4 = 300 m square at 150 m) */
  maxPlaceCells?: number;
}

/**
 * Places from three sources, in this order so the most specific reason names the place: hub
 * surroundings, repeat-report clusters, then significant hot cells. A cell belongs to one place; a
 * later source that lands on a taken cell adds its facts to that place instead of a duplicate.
 */
export function candidatePlaces(cells: ReadonlyMap<string, CellEvidence>, significance: ReadonlyMap<string, CellSignificance>, o: CandidateOptions): CandidatePlace[] {
  const minCalls = o.minCalls ?? 5;
  const minBin = o.minGiBin ?? 2;
  const hubRadius = o.hubRadiusMeters ?? 150;
  const maxPlaceCells = o.maxPlaceCells ?? 4;
  const projection = o.projection ?? localProjection(o.grid.originLon, o.grid.originLat);
  const hubIndex = o.hubs?.length ? createProximityIndex(o.hubs, projection) : null;
  const owner = new Map<string, CandidatePlace>();
  const places: CandidatePlace[] = [];
  const centerOf = (id: string) => squareCellCenter(o.grid, ...parseSquareCellId(id)!);
  const make = (id: string, label: string, cellIds: string[], reason: PlaceReason): CandidatePlace => {
    const centres = cellIds.map(centerOf);
    const main = cellIds.map((c) => cells.get(c)).filter((c): c is CellEvidence => !!c).sort((a, b) => b.calls - a.calls)[0];
    const center: [number, number] = [centres.reduce((a, c) => a + c[0], 0) / centres.length, centres.reduce((a, c) => a + c[1], 0) / centres.length];
    const near = hubIndex?.nearest(...center) ?? null;
    const place: CandidatePlace = {
      id,
      label,
      cells: cellIds,
      center,
      reasons: [reason],
      clusters: [],
      hub: null,
      nearestHub: near ? { id: near.id, name: near.name ?? near.id, distanceMeters: Math.round(near.distanceMeters) } : null,
      areaId: main?.areaId ?? null,
      district: main?.district ?? null,
      address: main?.address ?? null,
    };
    for (const c of cellIds) owner.set(c, place);
    places.push(place);
    return place;
  };
  const cellOf = (lon: number, lat: number) => squareCellId(Math.floor(((lon - o.grid.originLon) * o.grid.metersPerDegreeLon) / o.grid.cellMeters), Math.floor(((lat - o.grid.originLat) * o.grid.metersPerDegreeLat) / o.grid.cellMeters));
  for (const hub of o.hubs ?? []) {
    const home = cellOf(hub.lon, hub.lat);
    const [hc, hr] = parseSquareCellId(home)!;
    const reach = Math.ceil(hubRadius / o.grid.cellMeters);
    const [hx, hy] = projection.forward(hub.lon, hub.lat);
    const around: string[] = [];
    for (let dc = -reach; dc <= reach; dc++) {
      for (let dr = -reach; dr <= reach; dr++) {
        const id = squareCellId(hc + dc, hr + dr);
        const [x, y] = projection.forward(...centerOf(id));
        if ((id === home || Math.hypot(x - hx, y - hy) <= hubRadius) && !owner.has(id) && cells.has(id)) around.push(id);
      }
    }
    const calls = around.reduce((a, id) => a + cells.get(id)!.calls, 0);
    if (calls < minCalls) continue;
    const place = make(`hub:${hub.id}`, `Around ${hub.name ?? hub.id}`, around, 'hub');
    place.hub = { id: hub.id, name: hub.name ?? hub.id, distanceMeters: 0 };
  }
  for (const cluster of o.clusters ?? []) {
    const id = cellOf(...cluster.centroid);
    const existing = owner.get(id);
    if (existing) {
      existing.clusters.push(cluster);
      if (!existing.reasons.includes('cluster')) existing.reasons.push('cluster');
      continue;
    }
    if (!cells.has(id)) continue;
    make(`cluster:${cluster.id}`, `Repeat-report cluster ${cluster.windowLabel}`, [id], 'cluster').clusters.push(cluster);
  }
  const hot = [...significance].filter(([id, s]) => s.bin >= minBin && (cells.get(id)?.calls ?? 0) >= minCalls).sort((a, b) => b[1].z - a[1].z || (a[0] < b[0] ? -1 : 1));
  for (const [id] of hot) {
    const existing = owner.get(id);
    if (existing) {
      if (!existing.reasons.includes('hotspot')) existing.reasons.push('hotspot');
      continue;
    }
    // A hot cell touching a hot-spot place that is still small joins it: one spot split by the grid
    // is one stop, not three stops 150 m apart on the same unit's round.
    const [col, row] = parseSquareCellId(id)!;
    let joined: CandidatePlace | undefined;
    for (let dc = -1; dc <= 1 && !joined; dc++) {
      for (let dr = -1; dr <= 1 && !joined; dr++) {
        const next = owner.get(squareCellId(col + dc, row + dr));
        if (next?.reasons[0] === 'hotspot' && next.cells.length < maxPlaceCells) joined = next;
      }
    }
    if (joined) {
      joined.cells.push(id);
      owner.set(id, joined);
      const centres = joined.cells.map(centerOf);
      joined.center = [centres.reduce((a, p) => a + p[0], 0) / centres.length, centres.reduce((a, p) => a + p[1], 0) / centres.length];
      continue;
    }
    make(`cell:${id}`, `Hot spot cell ${id}`, [id], 'hotspot');
  }
  return places;
}
