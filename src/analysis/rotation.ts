/**
 * Patrol-rotation planner (journey 2): ranks candidate places per shift by the calls expected in
 * that shift's hours, gives each unit a few nearby places, schedules Koper-curve visits, suggests
 * referral where calls are mostly Level 1 referral matters, explains every place and runs the
 * guardrails. Pure: evidence rows in, a serialisable plan out.
 */
import type { EvidenceWindowSelection } from './backtest';
import type { SquareGridSpec } from './binning';
import type { EmergingCategory } from './emerging';
import { cellRaster, cellIndex, KDE_BANDWIDTH_METERS } from './forecast-baselines';
import { type GuardrailOptions, type GuardrailReport, checkGuardrails } from './guardrails';
import { type HourWindow, hourWindow, windowHourList, windowHours } from './hour-windows';
import { localProjection } from './local-projection';
import type { Site } from './proximity';
import { type CandidatePlace, type CellEvidence, type ClusterFact, candidatePlaces, cellEvidence, cellGiStar, type EvidenceRow, recencyNormaliser, recencyWeight } from './rotation-candidates';
import { type PseudoCounts, smoothedShiftForecast } from './shift-forecast';
import type { TravelOptions } from './travel';
import { KOPER, type UnitSchedule, scheduleVisits } from './visit-schedule';

export interface ReferralRule {
  /** share of the place's calls in Level 1 referral categories at which referral is suggested alongside patrol */
  alongsideShare: number;
  /** share at which referral is suggested instead of patrol */
  insteadShare: number;
  /** below this many calls no referral is suggested (a few calls say little about a place) */
  minCalls: number;
}

export interface RotationSettings {
  /** first day of the plan, YYYY-MM-DD */
  windowStart: string;
  windowDays: number;
  shifts: HourWindow[];
  /** units per shift id: a number, or units per district */
  units: Record<string, number | Record<string, number>>;
  placesPerUnit: number;
  evidenceDays: number;
  halfLifeDays: number;
  /** "last period" for the coverage explanation */
  recentDays: number;
  seed: number;
  dwellMinutes: number;
  revisitMinutes: number;
  travel: Required<TravelOptions>;
  referral: ReferralRule;
  includeSelfInitiated: boolean;
  typeCodes: string[] | null;
  cellMeters: number;
  guardrails: Required<GuardrailOptions>;
}

export const DEFAULT_SHIFTS: readonly HourWindow[] = [hourWindow(7, 15), hourWindow(15, 23), hourWindow(23, 7)];

export function defaultRotationSettings(windowStart: string, overrides: Partial<RotationSettings> = {}): RotationSettings {
  const shifts = overrides.shifts ?? DEFAULT_SHIFTS.slice();
  return {
    windowStart,
    windowDays: 7,
    shifts,
    units: Object.fromEntries(shifts.map((s) => [s.id, 1])),
    placesPerUnit: 3,
    evidenceDays: 28,
    halfLifeDays: 14,
    recentDays: 7,
    seed: 1,
    dwellMinutes: KOPER.dwellMinutes,
    revisitMinutes: KOPER.revisitMinutes,
    travel: { detourFactor: 1.3, speedKmh: 25, setupMinutes: 1 },
    referral: { alongsideShare: 0.4, insteadShare: 0.7, minCalls: 5 },
    includeSelfInitiated: false,
    typeCodes: null,
    cellMeters: 150,
    guardrails: { maxShareRatio: 2, maxMinutesShare: 0.4, minEvidenceCalls: 10 },
    ...overrides,
  };
}

export type PlaceAction = 'patrol' | 'patrol-and-refer' | 'refer';

export interface PlannedPlace extends CandidatePlace {
  calls: number;
  recentCalls: number;
  /** the share of referral-suited calls that decided `action` (see referralBasis), 0–1 */
  referralShare: number;
  /** the shift whose hours gave referralShare, or null for the place's whole day */
  referralShiftId?: string | null;
  /** calls referralShare was computed over (the place's calls in those hours) */
  referralCalls?: number;
  topTypes: { type: string; calls: number }[];
  giZ: number | null;
  giQ: number | null;
  giBin: number;
  trend: EmergingCategory | null;
  /**
   * expected calls in one shift of each shift id, all cells of the place (EXPECTED_CALLS_ESTIMATOR:
   * empirical-Bayes smoothed, shift-forecast.ts); ranking divides by cells
   */
  expectedPerShift: Record<string, number>;
  /** share of the city's calls in that shift's hours during the last period that fell here */
  lastPeriodShare: Record<string, number>;
  action: PlaceAction;
  why: string[];
}

export interface UnitAssignment {
  unitId: string;
  district: string | null;
  placeIds: string[];
  schedule: UnitSchedule;
}

export interface ShiftInstance {
  date: string;
  shiftId: string;
  label: string;
  start: string;
  end: string;
  units: UnitAssignment[];
}

export interface RotationPlan {
  version: 1;
  settings: RotationSettings;
  evidence: { start: string; end: string; calls: number; cells: number; choice?: EvidenceChoiceRecord };
  places: PlannedPlace[];
  shifts: ShiftInstance[];
  guardrails: GuardrailReport;
  notes: string[];
}

export interface RotationInput {
  evidence: readonly EvidenceRow[];
  /** the evidence window actually queried, for the record */
  evidenceStart: string;
  evidenceEnd: string;
  grid: SquareGridSpec;
  settings: RotationSettings;
  hubs?: readonly Site[];
  clusters?: readonly ClusterFact[];
  trends?: ReadonlyMap<string, EmergingCategory>;
  /** square cells of the study area (study-area.ts), the Gi* domain; default the cells' rectangle */
  studyCells?: readonly (readonly [number, number])[];
  /**
   * How the evidence window in the settings was chosen (backtest.ts chooseEvidenceWindow on the
   * history before the plan start), recorded in the plan's notes; absent = set by the analyst.
   */
  evidenceChoice?: EvidenceWindowSelection;
}

/**
 * How the evidence window was chosen from the data, kept in the plan so the results (and a
 * re-imported plan) can show every window's score, not only the winner. Absent = set by hand.
 */
export interface EvidenceChoiceRecord {
  /** mean PAI per window over the scored weeks (NaN when none could be scored) */
  scores: { evidenceDays: number; halfLifeDays: number; pai: number }[];
  /** complete weeks before the plan that were scored */
  weeks: number;
  selectCoverage: number;
  /** too few weeks to score: the default window was kept */
  fallback: boolean;
}

/** The estimator behind expectedPerShift, as the plan names it to the analyst. */
export const EXPECTED_CALLS_ESTIMATOR =
  "empirical-Bayes estimate: each cell's recency-weighted calls shrunk toward its 300 m neighbourhood, each shift toward the neighbourhood's share of calls in those hours (shift-forecast.ts)";

export function planRotation(input: RotationInput): RotationPlan {
  const s = input.settings;
  validateSettings(s);
  const cells = cellEvidence(input.evidence);
  const significance = cellGiStar(cells, input.grid.cellMeters, input.studyCells);
  const projection = localProjection(input.grid.originLon, input.grid.originLat);
  const candidates = candidatePlaces(cells, significance, { grid: input.grid, projection, ...(input.hubs ? { hubs: input.hubs } : {}), ...(input.clusters ? { clusters: input.clusters } : {}) });
  const norm = recencyNormaliser(s.evidenceDays, s.halfLifeDays);
  const smoothed = expectedByCell(cells, s, input.studyCells);
  const recentByShift = Object.fromEntries(s.shifts.map((sh) => [sh.id, [...cells.values()].reduce((a, c) => a + sumHours(c.recentByHour, sh), 0)]));
  const places: PlannedPlace[] = candidates.map((cand) => {
    const mine = cand.cells.map((id) => cells.get(id)!).filter(Boolean);
    const calls = mine.reduce((a, c) => a + c.calls, 0);
    const referral = mine.reduce((a, c) => a + c.referral, 0);
    const types = new Map<string, number>();
    for (const c of mine) for (const [t, n] of c.types) types.set(t, (types.get(t) ?? 0) + n);
    const best = mine.map((c) => significance.get(c.id)).filter((g) => g !== undefined).sort((a, b) => b.z - a.z)[0];
    const trend = mine.map((c) => input.trends?.get(c.id)).find((t) => t && t !== 'no-pattern') ?? input.trends?.get(mine[0]?.id ?? '') ?? null;
    const expectedPerShift: Record<string, number> = {};
    const rawPerShift: Record<string, number> = {};
    const lastPeriodShare: Record<string, number> = {};
    for (const sh of s.shifts) {
      expectedPerShift[sh.id] = mine.reduce((a, c) => a + smoothed.get(c.id)![sh.id]!, 0);
      rawPerShift[sh.id] = mine.reduce((a, c) => a + weightedHours(c, sh, s.halfLifeDays), 0) / norm;
      const total = recentByShift[sh.id]!;
      lastPeriodShare[sh.id] = total > 0 ? mine.reduce((a, c) => a + sumHours(c.recentByHour, sh), 0) / total : 0;
    }
    const basis = referralBasis(mine, calls, referral, s);
    const referralShare = basis.share;
    const action: PlaceAction = basis.calls < s.referral.minCalls ? 'patrol' : referralShare >= s.referral.insteadShare ? 'refer' : referralShare >= s.referral.alongsideShare ? 'patrol-and-refer' : 'patrol';
    const place: PlannedPlace = {
      ...cand,
      calls,
      recentCalls: mine.reduce((a, c) => a + c.recent, 0),
      referralShare,
      referralShiftId: basis.shiftId,
      referralCalls: basis.calls,
      topTypes: [...types].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3).map(([type, n]) => ({ type, calls: n })),
      giZ: best ? best.z : null,
      giQ: best ? best.q : null,
      giBin: best ? best.bin : 0,
      trend: trend ?? null,
      expectedPerShift,
      lastPeriodShare,
      action,
      why: [],
    };
    place.why = explain(place, s, rawPerShift);
    return place;
  });
  const byId = new Map(places.map((p) => [p.id, p]));
  const shifts: ShiftInstance[] = [];
  const minutesByArea = new Map<string, number>();
  s.shifts.forEach((sh, shiftIndex) => {
    // Ranked by expected calls per cell (density), as PAI scores forecasts: a merged 4-cell spot or a
    // hub's surroundings must not outrank a single busy block only because it covers more ground
    // than one 15-minute stop can.
    const density = (p: PlannedPlace) => p.expectedPerShift[sh.id]! / p.cells.length;
    const patrollable = places.filter((p) => p.action !== 'refer').sort((a, b) => density(b) - density(a) || (a.id < b.id ? -1 : 1));
    const teams = assignUnits(patrollable, s.units[sh.id] ?? 0, s.placesPerUnit, projection);
    for (let day = 0; day < s.windowDays; day++) {
      const date = addDays(s.windowStart, day);
      const units = teams.map((team, unitIndex): UnitAssignment => {
        const seed = (Math.imul(s.seed, 1_000_003) + day * 7919 + shiftIndex * 104_729 + unitIndex * 31) >>> 0;
        const schedule = scheduleVisits(
          team.places.map((p) => {
            const [x, y] = projection.forward(...p.center);
            return { id: p.id, x, y };
          }),
          { shiftMinutes: windowHours(sh) * 60, dwellMinutes: s.dwellMinutes, revisitMinutes: s.revisitMinutes, seed, ...s.travel },
        );
        for (const d of schedule.dosage) {
          const area = byId.get(d.placeId)!.areaId ?? '(no area)';
          minutesByArea.set(area, (minutesByArea.get(area) ?? 0) + d.presenceMinutes);
        }
        return { unitId: team.unitId, district: team.district, placeIds: schedule.order, schedule };
      });
      const endDate = sh.crossesMidnight ? addDays(date, 1) : date;
      shifts.push({ date, shiftId: sh.id, label: sh.label, start: `${date}T${hh(sh.startHour)}:00`, end: `${endDate}T${hh(sh.endHour % 24)}:00`, units });
    }
  });
  const residentByArea = new Map<string, number>();
  for (const r of input.evidence) {
    const area = r.areaId ?? '(no area)';
    residentByArea.set(area, (residentByArea.get(area) ?? 0) + r.calls - r.selfInitiated);
  }
  const scheduled = new Set(shifts.flatMap((x) => x.units.flatMap((u) => u.placeIds)));
  const guardrails = checkGuardrails(
    minutesByArea,
    residentByArea,
    places.filter((p) => scheduled.has(p.id)).map((p) => ({ placeId: p.id, label: p.label, calls: p.calls, giBin: p.giBin, cluster: p.clusters.length > 0 })),
    s.includeSelfInitiated,
    s.guardrails,
  );
  return {
    version: 1,
    settings: s,
    evidence: { start: input.evidenceStart, end: input.evidenceEnd, calls: [...cells.values()].reduce((a, c) => a + c.calls, 0), cells: cells.size, ...(input.evidenceChoice ? { choice: choiceRecord(input.evidenceChoice) } : {}) },
    places,
    shifts,
    guardrails,
    notes: [
      `Expected calls per shift: ${EXPECTED_CALLS_ESTIMATOR}. Calibrated in the rolling-origin backtest (predicted / observed calls in the chosen cells about 0.9); day of week is not modelled.`,
      evidenceNote(s, input.evidenceChoice),
      'The Koper-curve evidence (Koper 1995; Telep, Mitchell & Weisburd 2014) concerns crime and disorder at micro-places; it is not evidence for other call types.',
      'Travel times are straight-line distance × detour factor at an average speed, not a road network.',
    ],
  };
}

/**
 * Smoothed expected calls per cell in one shift of each shift id. The evidence rows carry each
 * cell-hour's recency-weighted sum; with the day weights of the window (each day at its midpoint,
 * as recencyNormaliser) they become Poisson pseudo-counts (shift-forecast.ts PseudoCounts). The
 * raster is the Gi* domain: the study area's cells plus every cell with calls.
 */
function expectedByCell(cells: ReadonlyMap<string, CellEvidence>, s: RotationSettings, studyCells?: readonly (readonly [number, number])[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  if (cells.size === 0) return out;
  const withCalls = [...cells.values()].map((c) => ({ col: c.col, row: c.row }));
  const raster = cellRaster(withCalls, s.cellMeters, [...(studyCells ?? []).map(([col, row]) => ({ col, row })), ...withCalls]);
  let w1 = 0;
  let w2 = 0;
  for (let d = 0; d < s.evidenceDays; d++) {
    const w = recencyWeight(d + 0.5, s.halfLifeDays);
    w1 += w;
    w2 += w * w;
  }
  const n = raster.valid.length;
  const pseudo = (weightOf: (c: CellEvidence) => number): PseudoCounts => {
    const counts = new Float64Array(n);
    for (const c of cells.values()) counts[cellIndex(raster, c.col, c.row)]! += (weightOf(c) * w1) / w2;
    return { counts, nEffDays: (w1 * w1) / w2 };
  };
  const allDay = hourWindow(0, 24);
  const f = smoothedShiftForecast({
    raster,
    all: pseudo((c) => weightedHours(c, allDay, s.halfLifeDays)),
    shifts: s.shifts.map((sh) => pseudo((c) => weightedHours(c, sh, s.halfLifeDays))),
    bandwidthMeters: KDE_BANDWIDTH_METERS,
    horizonDays: 1,
  });
  for (const c of cells.values()) {
    const i = cellIndex(raster, c.col, c.row);
    out.set(c.id, Object.fromEntries(s.shifts.map((sh, k) => [sh.id, f.byShift[k]![i]!])));
  }
  return out;
}

/** A cell's recency-weighted calls in a shift's hours; without decay the plain counts (the query cannot weigh by an infinite half-life). */
function weightedHours(c: CellEvidence, sh: HourWindow, halfLifeDays: number): number {
  return sumHours(Number.isFinite(halfLifeDays) ? c.weightedByHour : c.callsByHour, sh);
}

const decayText = (halfLifeDays: number) => (Number.isFinite(halfLifeDays) ? `half-life ${halfLifeDays} days` : 'no recency decay');

/**
 * Which calls the referral rule judges. A referral answers a pattern, and a pattern has hours:
 * outreach is sent for the nights people loiter at the hub, not for the daytime thefts and
 * collisions in the same cells. Judging the place's whole day mixes those in and hides the
 * pattern (the demo's downtown hub: 18 of 51 calls are loitering over the day, 35 %, but most of
 * its night-shift calls). So the share is taken over the place's calls in each shift's hours,
 * and over the whole day; the highest share among those with at least `minCalls` calls decides
 * (the same thresholds, the same minimum: a shift is judged on no fewer calls than a place was).
 * Ties go to the whole day, then to the earlier shift.
 */
function referralBasis(mine: readonly CellEvidence[], calls: number, referral: number, s: RotationSettings): { share: number; shiftId: string | null; calls: number } {
  let best = { share: calls > 0 ? referral / calls : 0, shiftId: null as string | null, calls };
  const eligible = (b: { calls: number }) => b.calls >= s.referral.minCalls;
  for (const sh of s.shifts) {
    const n = mine.reduce((a, c) => a + sumHours(c.callsByHour, sh), 0);
    const r = mine.reduce((a, c) => a + sumHours(c.referralByHour, sh), 0);
    const cand = { share: n > 0 ? r / n : 0, shiftId: sh.id, calls: n };
    if (eligible(cand) && (!eligible(best) || cand.share > best.share)) best = cand;
  }
  return best;
}

function choiceRecord(c: EvidenceWindowSelection): EvidenceChoiceRecord {
  return { scores: c.scores.map((x) => ({ evidenceDays: x.evidenceDays, halfLifeDays: x.halfLifeDays, pai: x.pai })), weeks: c.weeks.length, selectCoverage: c.selectCoverage, fallback: c.fallback };
}

function evidenceNote(s: RotationSettings, choice: EvidenceWindowSelection | undefined): string {
  const window = `${s.evidenceDays} days, ${decayText(s.halfLifeDays)}`;
  if (!choice) return `Evidence window: ${window}, as set (not chosen from the data).`;
  const pct = `${choice.selectCoverage * 100} %`;
  if (choice.fallback) return `Evidence window: ${window}, the default: fewer than two complete weeks before the plan could be scored to choose among the four windows fixed in advance. Set it by hand to override.`;
  const scores = choice.scores.map((c) => `${c.evidenceDays} d, ${decayText(c.halfLifeDays)}: PAI ${c.pai.toFixed(2)}`).join('; ');
  return `Evidence window: ${window}, chosen automatically: of the four windows fixed in advance it gave the best mean PAI at ${pct} of the area over the ${choice.weeks.length} weeks before the plan, each week planned from the days before it (${scores}). Set the window by hand to override.`;
}

function explain(p: PlannedPlace, s: RotationSettings, rawPerShift: Record<string, number>): string[] {
  const why: string[] = [];
  if (p.address) why.push(`Around ${p.address}${p.areaId ? ` (area ${p.areaId})` : ''}.`);
  why.push(`${p.calls} calls in the last ${s.evidenceDays} days (${p.recentCalls} in the last ${s.recentDays}); mostly ${p.topTypes.map((t) => `${t.type} (${t.calls})`).join(', ') || 'no type recorded'}.`);
  const exp = s.shifts.map((sh) => `${sh.id} ${p.expectedPerShift[sh.id]!.toFixed(2)}`).join(', ');
  const raw = s.shifts.map((sh) => `${sh.id} ${rawPerShift[sh.id]!.toFixed(2)}`).join(', ');
  why.push(`Expected calls in one shift: ${exp} (empirical-Bayes estimate, smoothed toward the 300 m neighbourhood and its time profile; the place's own recency-weighted counts alone: ${raw}).`);
  if (p.giZ !== null) why.push(`Gi* z = ${p.giZ.toFixed(2)}, q = ${p.giQ!.toPrecision(2)}: ${p.giBin >= 2 ? `significant hot spot (${p.giBin === 3 ? '99' : '95'} % after FDR)` : p.giBin === 1 ? 'hot at 90 % only' : 'not a significant hot spot'}.`);
  if (p.trend) why.push(`Trend over the loaded weeks: ${p.trend.replace('-', ' ')}.`);
  for (const c of p.clusters) why.push(`Repeat-report cluster ${c.windowLabel}: ${c.calls} calls on ${c.distinctNights} distinct days (${c.firstDate} to ${c.lastDate}).`);
  if (p.hub) why.push(`Surroundings of transit hub ${p.hub.name.replace(/\.+$/, '')}.`);
  else if (p.nearestHub) why.push(`Nearest transit hub: ${p.nearestHub.name}, ${p.nearestHub.distanceMeters} m.`);
  const shares = Object.entries(p.lastPeriodShare).map(([id, v]) => `${id} ${(v * 100).toFixed(1)} %`);
  why.push(`Would have covered ${shares.join(', ')} of the city's calls in those shift hours over the last ${s.recentDays} days.`);
  if (p.action !== 'patrol') {
    const hours = p.referralShiftId ? s.shifts.find((sh) => sh.id === p.referralShiftId) : undefined;
    const of = hours ? `of its ${p.referralCalls} calls in the ${hours.label} shift` : 'of its calls';
    why.push(`${(p.referralShare * 100).toFixed(0)} % ${of} are Level 1 referral matters (loitering, homelessness, noise, welfare): suggest a social-services referral ${p.action === 'refer' ? 'instead of patrol' : 'alongside patrol'} (rule: ≥ ${s.referral.alongsideShare * 100} % alongside, ≥ ${s.referral.insteadShare * 100} % instead, at least ${s.referral.minCalls} calls, judged over the whole day and over each shift's hours).`);
  }
  return why;
}

interface Team {
  unitId: string;
  district: string | null;
  places: PlannedPlace[];
}

/**
 * Each unit in turn takes the best remaining place, then the nearest of the remaining top places
 * (pool = units × placesPerUnit): high-ranked places get covered and each unit's round stays short.
 */
function assignUnits(ranked: readonly PlannedPlace[], units: number | Record<string, number>, perUnit: number, projection: ReturnType<typeof localProjection>): Team[] {
  const groups: [string | null, number, PlannedPlace[]][] =
    typeof units === 'number' ? [[null, units, ranked.slice()]] : Object.entries(units).sort().map(([d, n]) => [d, n, ranked.filter((p) => p.district === d)]);
  const teams: Team[] = [];
  for (const [district, count, list] of groups) {
    const pool = list.slice(0, count * perUnit);
    const xy = new Map(pool.map((p) => [p.id, projection.forward(...p.center)]));
    for (let u = 0; u < count && pool.length > 0; u++) {
      const seed = pool.shift()!;
      const [sx, sy] = xy.get(seed.id)!;
      pool.sort((a, b) => Math.hypot(xy.get(a.id)![0] - sx, xy.get(a.id)![1] - sy) - Math.hypot(xy.get(b.id)![0] - sx, xy.get(b.id)![1] - sy));
      const places = [seed, ...pool.splice(0, perUnit - 1)];
      teams.push({ unitId: district ? `${district}-${u + 1}` : `unit-${u + 1}`, district, places });
    }
  }
  return teams;
}

function validateSettings(s: RotationSettings): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.windowStart) || Number.isNaN(Date.parse(`${s.windowStart}T00:00:00Z`))) throw new RangeError(`The plan start "${s.windowStart}" is not a date; write it as YYYY-MM-DD.`);
  if (!Number.isInteger(s.windowDays) || s.windowDays < 1 || s.windowDays > 31) throw new RangeError(`A plan covers 1–31 days (got ${s.windowDays}).`);
  if (!Number.isInteger(s.placesPerUnit) || s.placesPerUnit < 1 || s.placesPerUnit > 6) throw new RangeError(`Each unit gets 1–6 places per shift, as in the Sacramento trial (got ${s.placesPerUnit}).`);
  if (!(s.halfLifeDays > 0)) throw new RangeError(`The recency half-life must be a positive number of days (got ${s.halfLifeDays}).`);
  if (!(s.referral.alongsideShare <= s.referral.insteadShare)) throw new RangeError('The "alongside" referral share must not exceed the "instead" share.');
  for (const [id, u] of Object.entries(s.units)) {
    const counts = typeof u === 'number' ? [u] : Object.values(u);
    if (counts.some((c) => !Number.isInteger(c) || c < 0 || c > 100)) throw new RangeError(`Units for shift ${id} must be whole numbers from 0 to 100.`);
  }
}

function sumHours(byHour: Float64Array, shift: HourWindow): number {
  return windowHourList(shift).reduce((a, h) => a + byHour[h]!, 0);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const hh = (h: number) => String(h).padStart(2, '0');
