/**
 * `--rotation` and `--backtest` for `npm run analyze` (journey 2). Taken out of argv before the
 * shared parser, like the other analysis sections, and run on the dataset analyze.ts imported.
 * Defaults are printed with the plan so a commander can see what was assumed.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type BacktestResult,
  chooseEvidenceWindow,
  type EvidenceWindowSelection,
  type HeldOutResult,
  type HourlyCellCount,
  heldOutShiftBacktest,
  type NestedResult,
  nestedShiftBacktest,
  runBacktest,
  runShiftBacktest,
  SHIFT_METHOD_LABELS,
  type ShiftBacktestResult,
} from '../../src/analysis/backtest';
import { squareGridSpec } from '../../src/analysis/binning';
import { DEFAULT_HOUR_WINDOWS, parseHourWindows } from '../../src/analysis/hour-windows';
import { findHubs } from '../../src/analysis/hubs';
import { findRepeatClusters } from '../../src/analysis/repeat-clusters';
import { DEFAULT_SHIFTS, defaultRotationSettings, planRotation, type RotationPlan } from '../../src/analysis/rotation';
import { cellTrends, type EvidenceRow } from '../../src/analysis/rotation-candidates';
import { squareCellsInRegion } from '../../src/analysis/study-area';
import type { TierMap } from '../../src/analysis/tiers';
import type { Db } from '../../src/data/db-types';
import { ImportError } from '../../src/data/errors';
import { loadGtfs } from '../../src/data/load-gtfs';
import { matchPreset } from '../../src/data/presets';
import nopdTiers from '../../src/data/presets/tiers-nopd.json';
import { hourlyCellCounts } from '../../src/data/queries/backtest';
import { cellHourEvidence, dailyCellCounts, dataExtent, evidenceCalls, evidenceCallsFrom, evidenceRowsFrom } from '../../src/data/queries/rotation';
import { toRows } from '../../src/data/rows';
import { parseTierMap } from '../../src/data/tier-map';
import type { AreaFeature } from '../../src/data/types';
import { planVisitsCsv } from '../../src/export/plan-csv';
import { planPlacesGeoJson } from '../../src/export/plan-geojson';
import { serializePlan } from '../../src/export/plan-json';
import { shiftSheets } from '../../src/export/shift-sheet';

export interface RotationFlags {
  rotation: boolean;
  backtest: boolean;
  planStart?: string;
  planDays?: number;
  shifts?: string;
  units?: string;
  placesPerUnit?: number;
  seed?: number;
  evidenceDays?: number;
  halfLifeDays?: number;
  includeSelfInitiated: boolean;
  types?: string[];
  cellMeters?: number;
  exportDir?: string;
  tierMap?: string;
  /** --hold-out: weeks at the start of the backtest that choose the evidence window */
  holdOutWeeks?: number;
}

export const ROTATION_USAGE = `Patrol rotation (Koper-curve visits) and its backtest:
  --rotation               plan directed-patrol visits for the week after the data
  --backtest               rolling-origin backtest: PAI/HR/PEI/RRI of the planner vs baselines,
                           for the whole-day cell ranking and per shift (each shift scored on its hours)
  --plan-start <date>      first day of the plan, YYYY-MM-DD (default: the day after the last call)
  --plan-days <n>          days planned (default 7)
  --shifts <list>          shift hours, e.g. 07-15,15-23,23-07 (default)
  --units <n|list>         units per shift: 1, or 07-15=1,15-23=1,23-07=2 (default 1 each)
  --places-per-unit <n>    places per unit and shift, 1–6 (default 3)
  --seed <n>               seed of the visit orders (default 1; printed with the plan)
  --evidence-days <n>      evidence window before the plan (default: chosen from the data, see below)
  --half-life <days>       recency half-life of the evidence (default: chosen from the data)
                           Without these two, the planner scores four windows fixed in advance
                           (28 d half-life 14, 28 d flat, 56 d half-life 28, 91 d flat) on the
                           8 weeks before the plan and uses the best; give either to override.
  --types <codes>          call-type codes in scope, comma-separated (default all)
  --include-self-initiated count officer-initiated calls as evidence (off: feedback loop)
  --cell <metres>          grid cell size (default 150)
  --export <dir>           write plan.json, plan-visits.csv, places.geojson, shift-sheets.json
  --hold-out <weeks>       with --backtest: choose the evidence window on the first <weeks> test weeks
                           and report the later weeks with it (no reported week influences the choice)
  (--tier-map <file.json>  tier map for the referral rule; default the preset matching the data)
`;

const VALUED = new Set(['--plan-start', '--plan-days', '--shifts', '--units', '--places-per-unit', '--seed', '--evidence-days', '--half-life', '--types', '--cell', '--export', '--hold-out']);
const TRIAGE = new Set(['--tiers', '--outcomes', '--equity']);

export function extractRotationFlags(argv: readonly string[]): { rest: string[]; flags: RotationFlags | null } {
  const f: RotationFlags = { rotation: false, backtest: false, includeSelfInitiated: false };
  const rest: string[] = [];
  const triage = argv.some((a) => TRIAGE.has(a));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (name === '--rotation') f.rotation = true;
    else if (name === '--backtest') f.backtest = true;
    else if (name === '--include-self-initiated') f.includeSelfInitiated = true;
    else if (name === '--tier-map') {
      // Shared with the triage section: read it, and leave it for that parser when triage runs too.
      const value = inline ?? argv[i + 1];
      if (value && !value.startsWith('--')) f.tierMap = value;
      if (triage) {
        rest.push(a);
        if (inline === undefined && argv[i + 1] !== undefined) rest.push(argv[++i]!);
      } else if (inline === undefined) i++;
    } else if (VALUED.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value.`);
      setValued(f, name, value);
    } else rest.push(a);
  }
  const any = f.rotation || f.backtest;
  const used = argv.some((a) => VALUED.has(a.split('=')[0]!) || a === '--include-self-initiated');
  if (used && !any) throw new Error('Rotation options (--plan-start, --units, …) are used with --rotation or --backtest.');
  return { rest, flags: any ? f : null };
}

function setValued(f: RotationFlags, name: string, value: string): void {
  const int = (min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
    return n;
  };
  if (name === '--plan-start') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new Error(`--plan-start must be a date YYYY-MM-DD (got "${value}").`);
    f.planStart = value;
  } else if (name === '--plan-days') f.planDays = int(1, 31);
  else if (name === '--shifts') {
    parseHourWindows(value);
    f.shifts = value;
  } else if (name === '--units') f.units = value;
  else if (name === '--places-per-unit') f.placesPerUnit = int(1, 6);
  else if (name === '--seed') f.seed = int(0, 2 ** 31 - 1);
  else if (name === '--evidence-days') f.evidenceDays = int(7, 365);
  else if (name === '--half-life') {
    const n = Number(value);
    if (!(n > 0)) throw new Error(`--half-life must be a positive number of days (got "${value}").`);
    f.halfLifeDays = n;
  } else if (name === '--types') f.types = value.split(',').map((t) => t.trim()).filter(Boolean);
  else if (name === '--cell') f.cellMeters = int(25, 1000);
  else if (name === '--export') f.exportDir = value;
  else if (name === '--hold-out') f.holdOutWeeks = int(1, 52);
}

/**
 * "2" → every shift 2; "07-15=1,23-07=2" → per shift (others 0); "23-07=North:1/South:2" → per
 * district (district values as in the data's district column).
 */
export function parseUnits(text: string | undefined, shiftIds: readonly string[]): Record<string, number | Record<string, number>> {
  if (text === undefined) return Object.fromEntries(shiftIds.map((id) => [id, 1]));
  if (/^\d+$/.test(text.trim())) return Object.fromEntries(shiftIds.map((id) => [id, Number(text)]));
  const out: Record<string, number | Record<string, number>> = Object.fromEntries(shiftIds.map((id) => [id, 0]));
  const example = `e.g. 23-07=2 or 23-07=North:1/South:2`;
  for (const part of text.split(',')) {
    const m = /^\s*(\d{1,2}-\d{1,2})\s*=\s*(.+?)\s*$/.exec(part);
    const id = m ? parseHourWindows(m[1]!)[0]!.id : null;
    if (!m || !id || !(id in out)) throw new Error(`--units: "${part}" should be shift=units with a shift from ${shiftIds.join(', ')}, ${example}.`);
    const value = m[2]!;
    if (/^\d+$/.test(value)) {
      out[id] = Number(value);
      continue;
    }
    const byDistrict: Record<string, number> = {};
    for (const d of value.split('/')) {
      const dm = /^\s*([^:]+?)\s*:\s*(\d+)\s*$/.exec(d);
      if (!dm) throw new Error(`--units: "${d}" should be district:units, ${example}.`);
      byDistrict[dm[1]!] = Number(dm[2]);
    }
    out[id] = byDistrict;
  }
  return out;
}

export interface RotationContext {
  callFile: string;
  areas?: readonly AreaFeature[];
  /** stops.txt or the GTFS folder given with --stops */
  stopsPath?: string;
  columns?: readonly string[];
}

export interface RotationOutput {
  plan?: RotationPlan;
  backtest?: BacktestResult;
  /** the per-shift backtest (--backtest), with the shifts of --shifts */
  shiftBacktest?: ShiftBacktestResult;
  /** --backtest --hold-out: the evidence window chosen on early weeks, and the later weeks scored with it */
  heldOut?: HeldOutResult;
  /** --backtest: each test week's window chosen from the weeks before it, as the planner chooses */
  nested?: NestedResult;
  /** --rotation without --evidence-days / --half-life: how the plan's window was chosen */
  evidenceChoice?: EvidenceWindowSelection;
  defaults: Record<string, unknown>;
}

export async function runRotation(db: Db, flags: RotationFlags, ctx: RotationContext): Promise<RotationOutput> {
  const [ext] = toRows(await db.query(dataExtent()));
  if (!ext?.first || !Number.isFinite(Number(ext.lon))) throw new ImportError(path.basename(ctx.callFile), 'No call with a time and a location was loaded, so there is nothing to plan from.', 'Check the column mapping (time and location columns).');
  const cellMeters = flags.cellMeters ?? 150;
  const grid = squareGridSpec(Number(ext.lon), Number(ext.lat), cellMeters);
  const firstDate = String(ext.first).slice(0, 10);
  const lastDate = String(ext.last).slice(0, 10);
  const planStart = flags.planStart ?? addDays(lastDate, 1);
  const shifts = flags.shifts ? parseHourWindows(flags.shifts) : DEFAULT_SHIFTS.slice();
  const settings = defaultRotationSettings(planStart, {
    shifts,
    units: parseUnits(flags.units, shifts.map((s) => s.id)),
    ...(flags.planDays ? { windowDays: flags.planDays } : {}),
    ...(flags.placesPerUnit ? { placesPerUnit: flags.placesPerUnit } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.evidenceDays ? { evidenceDays: flags.evidenceDays } : {}),
    ...(flags.halfLifeDays ? { halfLifeDays: flags.halfLifeDays } : {}),
    includeSelfInitiated: flags.includeSelfInitiated,
    typeCodes: flags.types ?? null,
    cellMeters,
  });
  const scope = { grid, includeSelfInitiated: settings.includeSelfInitiated, ...(flags.types ? { typeCodes: flags.types } : {}) };
  const historyDays = dayDiff(firstDate, lastDate) + 1;
  const daily = toRows(await db.query(dailyCellCounts({ ...scope, startDate: firstDate, days: historyDays }))).map((r) => ({ col: Number(r.col), row: Number(r.row), day: Number(r.day), calls: Number(r.calls) }));
  const studyCells = ctx.areas?.length ? squareCellsInRegion(grid, ctx.areas.map((a) => a.geometry)) : undefined;
  const studyRefs = studyCells ? { studyCells: studyCells.map(([col, row]) => ({ col, row })) } : {};
  let hourlyRows: HourlyCellCount[] | undefined;
  const hourly = async () => {
    hourlyRows ??= toRows(await db.query(hourlyCellCounts({ ...scope, startDate: firstDate, days: historyDays }))).map((r) => ({ col: Number(r.col), row: Number(r.row), day: Number(r.day), hour: Number(r.hour), calls: Number(r.calls) }));
    return hourlyRows;
  };
  // The window the analyst did not set is chosen from the history before the plan (no later day read).
  let evidenceChoice: EvidenceWindowSelection | undefined;
  if (flags.rotation && flags.evidenceDays === undefined && flags.halfLifeDays === undefined) {
    const before = Math.min(historyDays, dayDiff(firstDate, planStart));
    if (before > 0) {
      evidenceChoice = chooseEvidenceWindow(await hourly(), { days: before, cellMeters, shifts, ...studyRefs });
      settings.evidenceDays = evidenceChoice.chosen.evidenceDays;
      settings.halfLifeDays = evidenceChoice.chosen.halfLifeDays;
    }
  }
  const out: RotationOutput = {
    defaults: { planStart, planDays: settings.windowDays, shifts: shifts.map((s) => s.id), units: settings.units, placesPerUnit: settings.placesPerUnit, seed: settings.seed, evidenceDays: settings.evidenceDays, halfLifeDays: Number.isFinite(settings.halfLifeDays) ? settings.halfLifeDays : 'none', evidenceWindow: evidenceChoice ? (evidenceChoice.fallback ? 'default (too little history to choose)' : 'chosen from the data') : flags.evidenceDays !== undefined || flags.halfLifeDays !== undefined ? 'set' : 'default', includeSelfInitiated: settings.includeSelfInitiated, cellMeters, dataStart: firstDate, dataEnd: lastDate },
    ...(evidenceChoice ? { evidenceChoice } : {}),
  };
  if (flags.rotation) {
    const start = `${addDays(planStart, -settings.evidenceDays)} 00:00:00`;
    const end = `${planStart} 00:00:00`;
    const tierMap = await referralTierMap(flags.tierMap, ctx);
    // No decay: the query cannot weigh by 0.5^(age / ∞) (∞ binds as NULL); planRotation then reads the plain counts.
    const queryHalfLife = Number.isFinite(settings.halfLifeDays) ? settings.halfLifeDays : 1e9;
    const evidence: EvidenceRow[] = evidenceRowsFrom(toRows(await db.query(cellHourEvidence({ ...scope, start, end, halfLifeDays: queryHalfLife, recentDays: settings.recentDays, ...(tierMap ? { tierMap } : {}) }))));
    if (evidence.length === 0) {
      throw new ImportError(path.basename(ctx.callFile), `No call in scope between ${start} and ${end}, so the plan has no evidence.`, `Choose a --plan-start soon after the data (it ends ${lastDate}) or widen --types.`);
    }
    const hubs = ctx.stopsPath ? await loadHubs(ctx.stopsPath) : [];
    const calls = evidenceCallsFrom(toRows(await db.query(evidenceCalls({ ...scope, start, end }))));
    // Default repeat-cluster settings of the clusters section: 75 m, 6 calls, the four day parts.
    const clusters = findRepeatClusters(calls, { windows: DEFAULT_HOUR_WINDOWS, radiusMeters: 75, minCalls: 6, ...(hubs.length ? { hubs } : {}) }).clusters;
    out.plan = planRotation({
      evidence, evidenceStart: start, evidenceEnd: end, grid, settings, hubs,
      clusters: clusters.map((c) => ({ id: c.id, centroid: c.centroid, calls: c.calls, distinctNights: c.distinctNights, windowLabel: c.windowLabel, firstDate: c.firstDate, lastDate: c.lastDate })),
      trends: cellTrends(daily.filter((d) => d.day < dayDiff(firstDate, planStart)), Math.min(historyDays, dayDiff(firstDate, planStart)), cellMeters),
      ...(studyCells ? { studyCells } : {}),
      ...(evidenceChoice ? { evidenceChoice } : {}),
    });
    if (flags.exportDir) await exportPlan(out.plan, flags.exportDir);
  }
  if (flags.backtest) {
    try {
      const h = await hourly();
      // The fixed-window backtests run on the window the analyst set, else the planner's default 28 d / 14 d.
      const fixed = { evidenceDays: flags.evidenceDays ?? 28, halfLifeDays: flags.halfLifeDays ?? 14 };
      const options = { days: historyDays, cellMeters, ...fixed, seed: settings.seed, ...studyRefs };
      out.backtest = runBacktest(daily, options);
      out.shiftBacktest = runShiftBacktest(h, { ...options, shifts });
      if (flags.holdOutWeeks) out.heldOut = heldOutShiftBacktest(h, { ...options, shifts, warmupDays: fixed.evidenceDays, heldOutWeeks: flags.holdOutWeeks });
      // Needs the shortest window plus two scored weeks before its first test week; a shorter history skips it.
      if (historyDays >= 28 + 3 * 7) out.nested = nestedShiftBacktest(h, { days: historyDays, cellMeters, seed: settings.seed, shifts, ...studyRefs });
    } catch (e) {
      // Too short a history is the analyst's situation, not a bug: say it as one sentence.
      if (e instanceof RangeError) throw new ImportError(path.basename(ctx.callFile), e.message, '');
      throw e;
    }
  }
  return out;
}

async function referralTierMap(file: string | undefined, ctx: RotationContext): Promise<TierMap | undefined> {
  if (file) return parseTierMap(JSON.parse(await readFile(file, 'utf8')), path.basename(file));
  if (ctx.columns && matchPreset(ctx.columns)?.name === 'nopd') return parseTierMap(nopdTiers, 'tiers-nopd.json');
  // A dataset config beside the file (the demo's) lists { code: { tier, referral } }.
  try {
    const config = JSON.parse(await readFile(path.join(path.dirname(ctx.callFile), 'config.json'), 'utf8'));
    const entries = Object.entries((config.tierMap ?? {}) as Record<string, { tier?: unknown; referral?: unknown }>).filter(([, t]) => t.tier === 1 || t.tier === 2 || t.tier === 3);
    if (entries.length) return { version: 1, rules: entries.map(([typeCode, t]) => ({ typeCode, tier: t.tier as 1 | 2 | 3, referral: t.referral === true })) };
  } catch {
    // no dataset config: the referral rule then has no Level 1 referral calls to count
  }
  return undefined;
}

async function loadHubs(stopsPath: string) {
  const dir = (await stat(stopsPath)).isDirectory() ? stopsPath : path.dirname(stopsPath);
  const names = (await readdir(dir)).filter((n) => /^(stops|routes|trips|shapes|stop_times)\.txt$/i.test(n));
  const files = await Promise.all(names.map(async (n) => ({ name: n, bytes: new Uint8Array(await readFile(path.join(dir, n))) })));
  return findHubs(loadGtfs(files)).hubs;
}

async function exportPlan(plan: RotationPlan, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'plan.json'), serializePlan(plan));
  await writeFile(path.join(dir, 'plan-visits.csv'), planVisitsCsv(plan));
  await writeFile(path.join(dir, 'places.geojson'), JSON.stringify(planPlacesGeoJson(plan)));
  await writeFile(path.join(dir, 'shift-sheets.json'), JSON.stringify(shiftSheets(plan), null, 1));
}

/** The JSON section analyze --json prints. */
export function rotationJson(out: RotationOutput): Record<string, unknown> {
  const json: Record<string, unknown> = { rotationDefaults: out.defaults };
  if (out.plan) json.rotation = JSON.parse(serializePlan(out.plan));
  if (out.backtest) json.backtest = { settings: out.backtest.settings, validCells: out.backtest.validCells, summary: out.backtest.summary, weeks: out.backtest.weeks.map((w) => ({ startDay: w.startDay, endDay: w.endDay, events: w.events, pai: Object.fromEntries(Object.entries(w.scores).map(([m, s]) => [m, s.map((c) => c.floor.pai)])) })) };
  if (out.shiftBacktest) {
    const sb = out.shiftBacktest;
    json.shiftBacktest = {
      settings: sb.settings,
      shifts: sb.shifts,
      validCells: sb.validCells,
      summary: sb.summary,
      priorShapes: sb.priorShapes,
      weeks: sb.weeks.map((w) => ({ startDay: w.startDay, endDay: w.endDay, events: w.events, eventsByShift: w.eventsByShift, pai: Object.fromEntries(Object.entries(w.scores).map(([m, s]) => [m, s.map((c) => c.pai)])) })),
    };
  }
  if (out.heldOut) {
    const h = out.heldOut;
    // an infinite half-life (no decay) would print as null: say it
    const decay = <T extends { halfLifeDays: number }>(c: T) => ({ ...c, halfLifeDays: Number.isFinite(c.halfLifeDays) ? c.halfLifeDays : 'none' });
    json.heldOutBacktest = { heldOutWeeks: h.heldOutWeeks, selectCoverage: h.selectCoverage, selection: h.selection.map(decay), chosen: decay(h.chosen), settings: decay(h.result.settings), summary: h.result.summary };
  }
  const decayed = <T extends { halfLifeDays: number }>(c: T) => ({ ...c, halfLifeDays: Number.isFinite(c.halfLifeDays) ? c.halfLifeDays : 'none' });
  if (out.evidenceChoice) {
    const c = out.evidenceChoice;
    json.evidenceChoice = { chosen: decayed(c.chosen), scores: c.scores.map(decayed), weeks: c.weeks, selectCoverage: c.selectCoverage, fallback: c.fallback };
  }
  if (out.nested) {
    const n = out.nested;
    json.nestedBacktest = {
      choices: n.choices.map((c) => ({ startDay: c.startDay, chosen: decayed(c.chosen), scores: c.scores.map(decayed) })),
      settings: { ...n.result.settings, evidenceDays: 'chosen per week', halfLifeDays: 'chosen per week' },
      summary: n.result.summary,
      weeks: n.result.weeks.map((w) => ({ startDay: w.startDay, endDay: w.endDay, events: w.events, pai: Object.fromEntries(Object.entries(w.scores).map(([m, s]) => [m, s.map((x) => x.pai)])) })),
    };
  }
  return JSON.parse(JSON.stringify(json, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
}

/** The nested backtest: each week's chosen window, then the per-shift table compared with the shipped planner. */
export function formatNested(n: NestedResult): string[] {
  const half = (d: number) => (Number.isFinite(d) ? `half-life ${d} d` : 'no decay');
  const counts = new Map<string, number>();
  for (const c of n.choices) {
    const k = `${c.chosen.evidenceDays} days, ${half(c.chosen.halfLifeDays)}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [
    '',
    `Planner choosing its own evidence window (nested): each of the ${n.result.weeks.length} test weeks chooses among the four windows fixed in advance on the weeks before it only (shipped ranking, PAI per shift at ${(n.choices[0]?.selectCoverage ?? 0.02) * 100} %), then every method plans the week from that window.`,
    `  windows chosen: ${[...counts].map(([k, v]) => `${k} × ${v}`).join('; ')}`,
    ...formatShiftBacktest(n.result, 'shipped').slice(2),
  ];
}

/** The held-out choice of evidence window, then the later weeks' per-shift table. */
export function formatHeldOut(h: HeldOutResult): string[] {
  const half = (d: number) => (Number.isFinite(d) ? `half-life ${d} d` : 'no decay');
  const lines = [
    '',
    `Evidence window chosen on the first ${h.heldOutWeeks} test weeks (smoothed planner, PAI per shift at ${h.selectCoverage * 100} %):`,
    ...h.selection.map((c) => `  ${`${c.evidenceDays} days, ${half(c.halfLifeDays)}`.padEnd(28)} ${c.pai.toFixed(2)}${c.evidenceDays === h.chosen.evidenceDays && c.halfLifeDays === h.chosen.halfLifeDays ? '  ← chosen' : ''}`),
    `Scored on the ${h.result.weeks.length} later weeks only, every method on ${h.chosen.evidenceDays} days (${half(h.chosen.halfLifeDays)}):`,
  ];
  return [...lines, ...formatShiftBacktest(h.result, 'planner-smoothed').slice(2)];
}

/**
 * The per-shift backtest as a table (means over the test weeks; the last column compares the
 * smoothed planner with each method week by week) and a bar chart of PAI at each coverage.
 */
export function formatShiftBacktest(sb: ShiftBacktestResult, reference: 'shipped' | 'planner-smoothed' = 'shipped'): string[] {
  const lines: string[] = [];
  const s = sb.settings;
  lines.push(
    '',
    `Backtest per shift (${sb.shifts.map((x) => x.id).join(', ')}): ${sb.weeks.length} rolling weeks; each shift flags the same share of the ${sb.validCells} cells, ranked from the days before the week, and is scored on the calls in its own hours; pooled over shifts, means over weeks`,
  );
  const fmt = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : v > 0 ? '∞' : '–');
  const diff = (x: { meanDifference: number; standardError: number; weeksAhead: number; weeksBehind: number }) =>
    Number.isFinite(x.meanDifference) ? `${x.meanDifference >= 0 ? '+' : ''}${x.meanDifference.toFixed(2)} ± ${fmt(x.standardError)} (${x.weeksAhead}/${x.weeksBehind})` : '';
  const refName = reference === 'shipped' ? 'shipped' : 'smoothed';
  lines.push(`  ${'method'.padEnd(23)}${'time'.padEnd(6)}${s.coverages.map((c) => `${`${c * 100} %: PAI   HR    PEI   RRI   ${refName} − method`.padEnd(58)}`).join('')}`);
  for (const m of sb.summary) {
    const cells = m.byCoverage.map((c) => `${fmt(c.pai).padStart(5)} ${fmt(c.hitRate, 3)} ${fmt(c.pei)} ${fmt(c.rri).padStart(5)}  ${m.method === reference ? '' : diff(reference === 'shipped' ? c.shipped : c.smoothed)}`.padEnd(58));
    lines.push(`  ${m.method.padEnd(23)}${(m.timeAware ? 'shift' : 'blind').padEnd(6)}${cells.join('')}`);
  }
  lines.push('  time: "shift" ranks each shift on its own hours; "blind" flags the same cells in every shift (the issue\'s baselines).');
  lines.push(`  ${refName} − method: PAI of the ${reference === 'shipped' ? 'planner as shipped' : 'smoothed planner'} minus this method, mean over weeks ± standard error (weeks ahead / behind).`);
  for (const m of sb.summary) lines.push(`  ${m.method}: ${SHIFT_METHOD_LABELS[m.method]}`);
  lines.push(...shiftBacktestChart(sb));
  return lines;
}

/** Horizontal bars of mean PAI per method, one block per coverage (text: the CLI has no canvas). */
export function shiftBacktestChart(sb: ShiftBacktestResult, widthChars = 40): string[] {
  const lines: string[] = [];
  const max = Math.max(...sb.summary.flatMap((m) => m.byCoverage.map((c) => (Number.isFinite(c.pai) ? c.pai : 0))));
  sb.settings.coverages.forEach((coverage, k) => {
    lines.push('', `  PAI per shift at ${coverage * 100} % of the area (mean of ${sb.weeks.length} weeks; random ≈ 1)`);
    const rows = sb.summary.map((m) => ({ method: m.method, pai: m.byCoverage[k]!.pai })).sort((a, b) => b.pai - a.pai);
    for (const r of rows) {
      const eighths = max > 0 && Number.isFinite(r.pai) ? Math.round((r.pai / max) * widthChars * 8) : 0;
      const bar = '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 ? String.fromCodePoint(0x2590 - (eighths % 8)) : '');
      lines.push(`  ${r.method.padEnd(23)}${bar.padEnd(widthChars + 1)} ${Number.isFinite(r.pai) ? r.pai.toFixed(2) : '–'}`);
    }
  });
  return lines;
}

export function formatRotation(out: RotationOutput): string {
  const lines: string[] = [];
  const d = out.defaults;
  const units = Object.entries(d.units as Record<string, number | Record<string, number>>).map(([k, v]) => `${k}=${typeof v === 'number' ? v : Object.entries(v).map(([dd, n]) => `${dd}:${n}`).join('/')}`);
  lines.push('', `Patrol rotation — settings (defaults unless given): plan ${d.planStart} for ${d.planDays} days; shifts ${(d.shifts as string[]).join(', ')}; units ${units.join(', ')}; ${d.placesPerUnit} places per unit; seed ${d.seed}; evidence ${d.evidenceDays} days, ${d.halfLifeDays === 'none' ? 'no recency decay' : `half-life ${d.halfLifeDays} days`} (${d.evidenceWindow}); officer-initiated ${d.includeSelfInitiated ? 'INCLUDED' : 'excluded'}; ${d.cellMeters} m cells; data ${d.dataStart} to ${d.dataEnd}.`);
  const plan = out.plan;
  if (plan) {
    const byId = new Map(plan.places.map((p) => [p.id, p]));
    lines.push(`Evidence ${plan.evidence.start} to ${plan.evidence.end}: ${plan.evidence.calls} calls in ${plan.evidence.cells} cells; ${plan.places.length} candidate places.`);
    for (const n of plan.notes.filter((x) => /^(Evidence window|Expected calls)/.test(x))) lines.push(n);
    for (const sh of plan.settings.shifts) {
      const first = plan.shifts.find((s) => s.shiftId === sh.id);
      if (!first) continue;
      lines.push('', `${sh.label} (${first.date}; orders change daily, places stay):`);
      if (first.units.length === 0) lines.push('  no units');
      for (const u of first.units) {
        lines.push(`  ${u.unitId} (seed ${u.schedule.seed}), rounds every ${plan.settings.revisitMinutes} min, ${plan.settings.dwellMinutes} min per stop:`);
        for (const id of u.placeIds) {
          const p = byId.get(id)!;
          const dose = u.schedule.dosage.find((x) => x.placeId === id)!;
          lines.push(`    ${p.label} [${p.action}] ${dose.visits} visits, ${dose.presenceMinutes} min; expected ${p.expectedPerShift[sh.id]!.toFixed(2)} calls/shift`);
          for (const w of p.why) lines.push(`      - ${w}`);
        }
        for (const w of u.schedule.warnings) lines.push(`    ! ${w}`);
      }
    }
    const refer = plan.places.filter((p) => p.action === 'refer');
    if (refer.length) lines.push('', `Refer to outreach instead of patrol (${refer.length}): ${refer.slice(0, 10).map((p) => `${p.label} (${(p.referralShare * 100).toFixed(0)} % referral calls)`).join('; ')}`);
    lines.push('', 'Guardrails: patrol minutes vs resident calls by area');
    for (const a of plan.guardrails.areas.filter((x) => x.patrolMinutes > 0)) lines.push(`  ${a.areaId.padEnd(12)} minutes ${(a.minutesShare * 100).toFixed(1).padStart(5)} %  resident calls ${(a.residentShare * 100).toFixed(1).padStart(5)} %  ${a.overCap ? 'OVER CAP' : ''}`);
    for (const w of plan.guardrails.warnings) lines.push(`  ! ${w}`);
  }
  const bt = out.backtest;
  if (bt) {
    lines.push('', `Backtest: ${bt.weeks.length} rolling weeks after ${bt.settings.warmupDays} days warm-up, ${bt.validCells} cells of ${bt.settings.cellMeters} m; means over weeks`);
    lines.push(`  ${'method'.padEnd(18)}${bt.settings.coverages.map((c) => `${`${c * 100} %: PAI  [ties: incl / random]  HR    PEI   RRI   planner +/−`.padEnd(64)}`).join('')}`);
    for (const m of bt.summary) {
      const cells = m.byCoverage.map((c) => {
        const rri = Number.isFinite(c.rri) ? c.rri.toFixed(2) : '∞';
        const duel = m.method === 'planner' ? '' : `${c.weeksPlannerAhead}/${c.weeksPlannerBehind}`;
        return `${c.pai.toFixed(2).padStart(5)} [${c.paiTieInclusive.toFixed(2)} / ${c.paiTieExpected.toFixed(2)}]  ${c.hitRate.toFixed(3)} ${c.pei.toFixed(2)} ${rri.padStart(5)}  ${duel}`.padEnd(64);
      });
      lines.push(`  ${m.method.padEnd(18)}${cells.join('')}`);
    }
    lines.push('  PAI: floor(n·coverage) cells by (risk desc, cell index asc); in brackets with every tied cut-off cell, and expected under a random order of them.');
    lines.push('  RRI is "RRI (pred/obs, ptools)": predicted over observed calls in the flagged cells. "planner +/−": weeks the planner was ahead / behind.');
  }
  if (out.shiftBacktest) lines.push(...formatShiftBacktest(out.shiftBacktest));
  if (out.heldOut) lines.push(...formatHeldOut(out.heldOut));
  if (out.nested) lines.push(...formatNested(out.nested));
  return `${lines.join('\n')}\n`;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
