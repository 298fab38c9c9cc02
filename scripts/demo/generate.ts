import { backgroundDrafts, type CallContext, type CallRow, completeCall, type Draft, SLOW_TRAVEL_FACTOR } from './calls';
import { makeCity } from './city';
import { callType } from './call-types';
import { toLonLat } from './geo';
import { EMERGING, emergingDrafts, LOITERING, loiteringDrafts, REPEAT_ADDRESS, repeatAddressDrafts, UNDER_TRIAGE, underTriageDrafts } from './patterns';
import { makeRng } from './rng';
import { makeScenario } from './scenario';
import { DAYS, END_DATE, START_DATE, TIME_ZONE, dateOf, formatLocal } from './time';
import { makeTransit } from './transit';
import {
  areaResponse,
  digitalShare,
  distinctCalls,
  inHourBand,
  lastWeeksStartMs,
  median,
  nightOf,
  responseMinutes,
  weekOf,
  within,
} from './truth';

export const GENERATOR_VERSION = '1.0.0';
export const DEFAULT_SEED = 20260629;
const BACKGROUND_CALLS = 49_300;
const MISSING_COORD_SHARE = 0.02;
const ZERO_COORD_SHARE = 0.004;
const DUPLICATE_SHARE = 0.003;

export type DemoModel = ReturnType<typeof generateModel>;

/** Build the whole synthetic city in memory: geography, transit, calls and the truth about them. */
export function generateModel(seed: number) {
  const city = makeCity(makeRng(seed, 'city'));
  if (city.areas.length < 25 || city.areas.length > 40) throw new Error(`Seed ${seed} gives ${city.areas.length} areas; want 25–40.`);
  const transit = makeTransit();
  const scenario = makeScenario(city, makeRng(seed, 'scenario'));
  const ctx: CallContext = {
    city,
    slowAreaIds: new Set(scenario.slowAreas.map((a) => a.id)),
    lowDigitalAreaIds: new Set(scenario.lowDigitalAreas.map((a) => a.id)),
    attractors: scenario.attractors,
  };
  const hub = transit.hubs.find((h) => h.id === 'H1')!;
  const loit = loiteringDrafts(hub.xy, makeRng(seed, 'loitering'));
  const repeat = repeatAddressDrafts(scenario.repeatBlockStart, makeRng(seed, 'repeat'));
  const emerging = emergingDrafts(scenario.emergingSite, makeRng(seed, 'emerging'));
  const pointRng = makeRng(seed, 'under-triage-points');
  const background = backgroundDrafts(ctx, BACKGROUND_CALLS, makeRng(seed, 'background'));
  const underTriage = underTriageDrafts(makeRng(seed, 'under-triage'), () => {
    const area = pointRng.weighted(city.areas, (a) => a.population);
    return { x: area.site.x + pointRng.uniform(-600, 600), y: area.site.y + pointRng.uniform(-600, 600) };
  });
  const drafts: Draft[] = [...background, ...loit.drafts, ...repeat.drafts, ...emerging.drafts, ...underTriage];
  const completeRng = makeRng(seed, 'complete');
  const completed = drafts.map((d, i) => ({ row: completeCall(ctx, d, completeRng), i })).filter((x) => x.row !== null);
  completed.sort((a, b) => a.row!.receivedMs - b.row!.receivedMs || a.i - b.i);
  const unique = completed.map((x) => x.row!);
  unique.forEach((r, i) => {
    r.incidentNumber = `CFS26-${String(i + 1).padStart(6, '0')}`;
  });

  // Export defects a real CAD extract has: unmapped calls and re-exported incidents.
  const defectRng = makeRng(seed, 'defects');
  for (const r of unique) {
    if (r.pattern) continue;
    const u = defectRng.next();
    if (u < MISSING_COORD_SHARE) {
      r.lon = null;
      r.lat = null;
    } else if (u < MISSING_COORD_SHARE + ZERO_COORD_SHARE) {
      r.lon = 0;
      r.lat = 0;
    }
  }
  const rows: CallRow[] = [];
  let duplicateRows = 0;
  let changedDuplicates = 0;
  for (const r of unique) {
    rows.push(r);
    if (r.pattern || !defectRng.chance(DUPLICATE_SHARE)) continue;
    duplicateRows++;
    if (defectRng.chance(1 / 3)) {
      // Re-opened and closed again: same incident, a later clear time and a new disposition.
      changedDuplicates++;
      rows.push({ ...r, clearedMs: r.clearedMs + defectRng.int(5, 90) * 60_000, disposition: 'REPORT TAKEN' });
    } else rows.push({ ...r });
  }
  const truth = buildTruth({ seed, city, transit, scenario, rows, unique, loit, repeat, emerging, duplicateRows, changedDuplicates });
  return { seed, city, transit, scenario, rows, truth };
}

interface TruthInput {
  seed: number;
  city: ReturnType<typeof makeCity>;
  transit: ReturnType<typeof makeTransit>;
  scenario: ReturnType<typeof makeScenario>;
  rows: CallRow[];
  unique: CallRow[];
  loit: ReturnType<typeof loiteringDrafts>;
  repeat: ReturnType<typeof repeatAddressDrafts>;
  emerging: ReturnType<typeof emergingDrafts>;
  duplicateRows: number;
  changedDuplicates: number;
}

const lonLat = (xy: { x: number; y: number }) => {
  const [lon, lat] = toLonLat(xy);
  return { lon, lat };
};
const round = (v: number | null, digits = 3) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

function buildTruth(t: TruthInput) {
  const calls = distinctCalls(t.rows);
  const hub = t.transit.hubs.find((h) => h.id === 'H1')!;
  const lastStart = lastWeeksStartMs(LOITERING.lastWeeks, DAYS);
  const loiteringMatch = (r: CallRow) =>
    (LOITERING.types as readonly string[]).includes(r.code) && inHourBand(r.receivedMs, LOITERING.startHour, LOITERING.endHour) && within(r, hub.xy, LOITERING.definitionRadiusMeters);
  // A night belongs to the period by its evening: nights of the last 6 weeks start at lastStart.
  const loitLast = calls.filter((r) => loiteringMatch(r) && nightOf(r.receivedMs) >= dateOf(lastStart));
  const loitBefore = calls.filter((r) => loiteringMatch(r) && nightOf(r.receivedMs) < dateOf(lastStart));

  const repeatMatch = (r: CallRow) =>
    r.blockAddress === t.repeat.blockAddress && (REPEAT_ADDRESS.types as readonly string[]).includes(r.code) && inHourBand(r.receivedMs, REPEAT_ADDRESS.startHour, 0);
  const repeatCalls = calls.filter(repeatMatch);

  const emergingMatch = (r: CallRow) => (EMERGING.types as readonly string[]).includes(r.code) && within(r, t.scenario.emergingSite, EMERGING.definitionRadiusMeters);
  const observedPerWeek = Array.from({ length: 13 }, (_, w) => calls.filter((r) => emergingMatch(r) && weekOf(r.receivedMs) === w + 1).length);

  const responses = areaResponse(calls, t.city.areas);
  const slowIds = new Set(t.scenario.slowAreas.map((a) => a.id));
  const allResponse = calls.map(responseMinutes).filter((v): v is number => v !== null);
  const otherResponse = calls.filter((r) => !slowIds.has(r.areaId)).map(responseMinutes).filter((v): v is number => v !== null);

  const underTriage = (r: CallRow) => callType(r.initialCode).tier === 1 && callType(r.code).tier === 3;
  const band = (r: CallRow) => r.initialCode === UNDER_TRIAGE.initialType && inHourBand(r.receivedMs, UNDER_TRIAGE.startHour, UNDER_TRIAGE.endHour);
  const initialNoise = calls.filter((r) => r.initialCode === UNDER_TRIAGE.initialType);
  const lowIds = new Set(t.scenario.lowDigitalAreas.map((a) => a.id));

  const received = t.rows.map((r) => r.receivedMs);
  return {
    synthetic: true,
    warning: 'SYNTHETIC DATA. Invented city, invented calls. Not real places, people or incidents.',
    seed: t.seed,
    generatorVersion: GENERATOR_VERSION,
    timeZone: TIME_ZONE,
    period: { start: START_DATE, end: END_DATE, days: DAYS, weeks: 13 },
    conventions: {
      hourBands: '[startHour, endHour) on the agency wall clock; a band whose end is smaller than its start crosses midnight',
      night: 'the calendar date of (call_received − 12 h): 01:30 on a Sunday belongs to Saturday night',
      week: 'week 1 starts 2026-06-29 00:00 (Monday); week = floor(days since start / 7) + 1',
      distance: 'haversine, earth radius 6 371 008.8 m (Turf), between latitude/longitude and the centre',
      counts: 'one row per incident_number (duplicates counted once) unless a field says rows',
      response: 'minutes from call_received to on_scene; resident calls (officer_initiated = N) with on_scene recorded',
    },
    rows: {
      parquetRows: t.rows.length,
      distinctIncidents: calls.length,
      duplicateExtraRows: t.duplicateRows,
      duplicatesWithChangedFields: t.changedDuplicates,
      missingCoordinateRows: t.rows.filter((r) => r.lat === null).length,
      zeroCoordinateRows: t.rows.filter((r) => r.lat === 0 && r.lon === 0).length,
      officerInitiatedShare: round(calls.filter((r) => r.selfInitiated).length / calls.length, 4),
      firstReceived: formatLocal(Math.min(...received)),
      lastReceived: formatLocal(Math.max(...received)),
      sampleCsvRows: 2000,
    },
    city: {
      center: lonLat({ x: 0, y: 0 }),
      areaKm2: round(t.city.areaKm2, 2),
      areas: t.city.areas.length,
      population: t.city.areas.reduce((s, a) => s + a.population, 0),
    },
    transit: {
      routes: t.transit.routes.length,
      stops: t.transit.stops.length,
      stopTimes: 'deliberately absent: hubs must be inferred from shapes.txt',
      hubs: t.transit.hubs.map((h) => ({ id: h.id, name: h.name, ...lonLat(h.xy), parentStopId: h.parentStopId, routeIds: h.routeIds })),
    },
    patterns: {
      loiteringNearHub: {
        hub: hub.id,
        hubName: hub.name,
        center: lonLat(hub.xy),
        scatterMeters: LOITERING.scatterMeters,
        radiusMeters: LOITERING.definitionRadiusMeters,
        types: LOITERING.types,
        startHour: LOITERING.startHour,
        endHour: LOITERING.endHour,
        lastWeeks: LOITERING.lastWeeks,
        firstNight: dateOf(lastStart),
        plantedCalls: t.loit.drafts.length,
        plantedNights: t.loit.nights.map((d) => dateOf(Date.parse(`${START_DATE}T00:00:00Z`) + d * 86_400_000)),
        observed: {
          calls: loitLast.length,
          distinctNights: new Set(loitLast.map((r) => nightOf(r.receivedMs))).size,
          callsBefore: loitBefore.length,
          distinctNightsBefore: new Set(loitBefore.map((r) => nightOf(r.receivedMs))).size,
        },
      },
      repeatNuisanceAddress: {
        blockAddress: t.repeat.blockAddress,
        center: lonLat(t.repeat.center),
        types: REPEAT_ADDRESS.types,
        startHour: REPEAT_ADDRESS.startHour,
        endHour: 0,
        plantedCalls: t.repeat.drafts.length,
        observed: { calls: repeatCalls.length, distinctDates: new Set(repeatCalls.map((r) => dateOf(r.receivedMs))).size },
      },
      emergingHotspot: {
        center: lonLat(t.scenario.emergingSite),
        radiusMeters: EMERGING.definitionRadiusMeters,
        types: EMERGING.types,
        baselineWeeks: EMERGING.baselineWeeks,
        risingWeeks: [10, 11, 12, 13],
        plantedPerWeek: t.emerging.plantedPerWeek,
        observedPerWeek,
      },
      slowOutskirts: {
        travelTimeFactor: SLOW_TRAVEL_FACTOR,
        areas: responses.filter((r) => slowIds.has(r.id)).map((r) => ({ ...r, medianResponseMinutes: round(r.medianResponseMinutes) })),
        cityMedianResponseMinutes: round(median(allResponse)),
        otherAreasMedianResponseMinutes: round(median(otherResponse)),
      },
      underTriage: {
        initialType: UNDER_TRIAGE.initialType,
        finalType: UNDER_TRIAGE.finalType,
        startHour: UNDER_TRIAGE.startHour,
        endHour: UNDER_TRIAGE.endHour,
        plantedCalls: UNDER_TRIAGE.calls,
        observed: {
          level1ToLevel3: calls.filter(underTriage).length,
          inBand: calls.filter((r) => underTriage(r) && band(r)).length,
          rateInBand: round(calls.filter((r) => underTriage(r) && band(r)).length / initialNoise.filter(band).length, 4),
          rateOutsideBand: round(calls.filter((r) => underTriage(r) && !band(r) && r.initialCode === UNDER_TRIAGE.initialType).length / initialNoise.filter((r) => !band(r)).length, 4),
        },
      },
      lowDigitalAccess: {
        areas: t.scenario.lowDigitalAreas.map((a) => ({ id: a.id, name: a.name, beat: a.beat, onlineOrAppShare: round(digitalShare(calls, (r) => r.areaId === a.id), 4) })),
        otherAreasOnlineOrAppShare: round(digitalShare(calls, (r) => !lowIds.has(r.areaId)), 4),
        definition: 'share of call_source online or app among resident calls of types that can be reported online',
      },
      backgroundAttractors: {
        note: 'not planted findings: steady micro-hotspots (bars, a mall) present in every week, so patterns are not the only clusters',
        sites: t.scenario.attractors.map((a) => ({ ...lonLat(a.xy), radiusMeters: a.radiusMeters, groups: a.groups })),
      },
    },
  };
}
