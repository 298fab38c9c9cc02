/**
 * Rotation plan as JSON, and its validated re-import. A plan file comes back from e-mail or a
 * shared drive, so the reader trusts nothing: size cap, no prototype keys, an allow-list of keys
 * per object, types checked all the way down, and errors that say where and what to do.
 */
import type { RotationPlan } from '../analysis/rotation';
import { ImportError } from '../data/errors';

export const PLAN_JSON_LIMITS = { bytes: 20 * 1024 * 1024, arrayItems: 20_000, stringLength: 2_000, depth: 12 } as const;

export function serializePlan(plan: RotationPlan): string {
  // Infinity/NaN (e.g. a ratio with no resident calls) have no JSON form; null says "undefined" plainly.
  return JSON.stringify(plan, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1);
}

type Schema =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | { nullable: Schema }
  | { array: Schema }
  | { tuple: Schema[] }
  | { object: Record<string, Schema>; optional?: string[] }
  | { record: Schema }
  | { enum: readonly (string | number)[] }
  | { anyOf: Schema[] };

const num: Schema = { nullable: 'number' };
const str: Schema = 'string';
const hourWindow: Schema = { object: { id: str, label: str, startHour: 'integer', endHour: 'integer', crossesMidnight: 'boolean' } };
const hubRef: Schema = { nullable: { object: { id: str, name: str, distanceMeters: 'number' } } };
const cluster: Schema = { object: { id: str, centroid: { tuple: ['number', 'number'] }, calls: 'integer', distinctNights: 'integer', windowLabel: str, firstDate: str, lastDate: str } };
const place: Schema = {
  object: {
    id: str, label: str, cells: { array: str }, center: { tuple: ['number', 'number'] },
    reasons: { array: { enum: ['hotspot', 'cluster', 'hub'] } }, clusters: { array: cluster }, hub: hubRef, nearestHub: hubRef,
    areaId: { nullable: str }, district: { nullable: str }, address: { nullable: str }, calls: 'integer', recentCalls: 'integer', referralShare: 'number',
    topTypes: { array: { object: { type: str, calls: 'integer' } } }, giZ: num, giQ: num, giBin: 'integer', trend: { nullable: str },
    expectedPerShift: { record: 'number' }, lastPeriodShare: { record: 'number' }, action: { enum: ['patrol', 'patrol-and-refer', 'refer'] }, why: { array: str },
    referralShiftId: { nullable: str }, referralCalls: 'integer',
  },
  // plan files written before the referral rule judged shift hours lack these two
  optional: ['referralShiftId', 'referralCalls'],
};
const visit: Schema = { object: { placeId: str, round: 'integer', arriveMinute: 'number', leaveMinute: 'number', travelMinutesBefore: 'number' } };
const dosage: Schema = { object: { placeId: str, visits: 'integer', presenceMinutes: 'number', valuedMinutes: 'number', maxGapMinutes: num } };
const schedule: Schema = {
  object: { seed: 'integer', order: { array: str }, visits: { array: visit }, dosage: { array: dosage }, roundMinutes: 'number', travelMinutes: 'number', dropped: { array: str }, warnings: { array: str } },
};
const settings: Schema = {
  object: {
    windowStart: str, windowDays: 'integer', shifts: { array: hourWindow }, units: { record: { anyOf: ['integer', { record: 'integer' }] } },
    placesPerUnit: 'integer', evidenceDays: 'integer', halfLifeDays: num, recentDays: 'integer', seed: 'integer', dwellMinutes: 'number',
    revisitMinutes: 'number', travel: { object: { detourFactor: 'number', speedKmh: 'number', setupMinutes: 'number' } },
    referral: { object: { alongsideShare: 'number', insteadShare: 'number', minCalls: 'integer' } }, includeSelfInitiated: 'boolean',
    typeCodes: { nullable: { array: str } }, cellMeters: 'number', guardrails: { object: { maxShareRatio: 'number', maxMinutesShare: 'number', minEvidenceCalls: 'integer' } },
  },
};
const PLAN: Schema = {
  object: {
    version: { enum: [1] },
    settings,
    evidence: {
      object: {
        start: str, end: str, calls: 'integer', cells: 'integer',
        choice: { object: { scores: { array: { object: { evidenceDays: 'integer', halfLifeDays: num, pai: num } } }, weeks: 'integer', selectCoverage: 'number', fallback: 'boolean' } },
      },
      // absent when the analyst set the window, and in plans written before the Plan tab chose it
      optional: ['choice'],
    },
    places: { array: place },
    shifts: { array: { object: { date: str, shiftId: str, label: str, start: str, end: str, units: { array: { object: { unitId: str, district: { nullable: str }, placeIds: { array: str }, schedule } } } } } },
    guardrails: {
      object: {
        settings: { object: { maxShareRatio: 'number', maxMinutesShare: 'number', minEvidenceCalls: 'integer', includeSelfInitiated: 'boolean' } },
        areas: { array: { object: { areaId: str, patrolMinutes: 'number', minutesShare: 'number', residentCalls: 'number', residentShare: 'number', ratio: num, overCap: 'boolean' } } },
        thinEvidence: { array: str },
        warnings: { array: str },
      },
    },
    notes: { array: str },
  },
};

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Parse and validate a plan file; throws ImportError naming the file, the place in it and the fix. */
export function parsePlanJson(text: string, file = 'plan.json'): RotationPlan {
  const fix = 'Export the plan again from Callsight and re-import that file unchanged.';
  if (new TextEncoder().encode(text).length > PLAN_JSON_LIMITS.bytes) throw new ImportError(file, `The plan file is larger than ${PLAN_JSON_LIMITS.bytes / 1024 / 1024} MB.`, fix);
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v) => {
      if (FORBIDDEN_KEYS.has(key)) throw new SyntaxError(`key "${key}" is not allowed`);
      return v;
    });
  } catch (e) {
    throw new ImportError(file, `This is not a valid plan file (${(e as Error).message}).`, fix);
  }
  const problem = check(value, PLAN, '$', 0);
  if (problem) throw new ImportError(file, `The plan file is not in the expected shape: ${problem}.`, fix);
  const plan = value as RotationPlan;
  // A window without recency decay has an infinite half-life, which JSON writes as null.
  if ((plan.settings.halfLifeDays as number | null) === null) plan.settings.halfLifeDays = Number.POSITIVE_INFINITY;
  for (const c of plan.evidence.choice?.scores ?? []) {
    if ((c.halfLifeDays as number | null) === null) c.halfLifeDays = Number.POSITIVE_INFINITY;
    if ((c.pai as number | null) === null) c.pai = Number.NaN;
  }
  return plan;
}

function check(v: unknown, s: Schema, at: string, depth: number): string | null {
  if (depth > PLAN_JSON_LIMITS.depth) return `${at} is nested too deeply`;
  if (s === 'string') return typeof v === 'string' ? (v.length <= PLAN_JSON_LIMITS.stringLength ? null : `${at} is longer than ${PLAN_JSON_LIMITS.stringLength} characters`) : `${at} should be text`;
  if (s === 'number') return typeof v === 'number' && Number.isFinite(v) ? null : `${at} should be a number`;
  if (s === 'integer') return Number.isInteger(v) ? null : `${at} should be a whole number`;
  if (s === 'boolean') return typeof v === 'boolean' ? null : `${at} should be true or false`;
  if ('nullable' in s) return v === null ? null : check(v, s.nullable, at, depth);
  if ('enum' in s) return s.enum.includes(v as string | number) ? null : `${at} should be one of ${s.enum.join(', ')}`;
  if ('anyOf' in s) return s.anyOf.some((x) => check(v, x, at, depth) === null) ? null : `${at} has the wrong type`;
  if ('array' in s || 'tuple' in s) {
    if (!Array.isArray(v)) return `${at} should be a list`;
    if (v.length > PLAN_JSON_LIMITS.arrayItems) return `${at} has more than ${PLAN_JSON_LIMITS.arrayItems} entries`;
    if ('tuple' in s && v.length !== s.tuple.length) return `${at} should have ${s.tuple.length} entries`;
    for (let i = 0; i < v.length; i++) {
      const r = check(v[i], 'tuple' in s ? s.tuple[i]! : s.array, `${at}[${i}]`, depth + 1);
      if (r) return r;
    }
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${at} should be an object`;
  const entries = Object.entries(v);
  if ('record' in s) {
    if (entries.length > PLAN_JSON_LIMITS.arrayItems) return `${at} has too many entries`;
    for (const [k, x] of entries) {
      const r = (k.length > PLAN_JSON_LIMITS.stringLength ? `${at} has an over-long key` : null) ?? check(x, s.record, `${at}.${k}`, depth + 1);
      if (r) return r;
    }
    return null;
  }
  for (const [k] of entries) if (!Object.hasOwn(s.object, k)) return `${at} has an unexpected field "${k.slice(0, 40)}"`;
  for (const [k, sub] of Object.entries(s.object)) {
    if (!Object.hasOwn(v, k)) {
      if (s.optional?.includes(k)) continue;
      return `${at}.${k} is missing`;
    }
    const r = check((v as Record<string, unknown>)[k], sub, `${at}.${k}`, depth + 1);
    if (r) return r;
  }
  return null;
}
