/**
 * The Plan tab's inputs as the analyst edits them (text and numbers), and their conversion to the
 * planner's RotationSettings. Validation happens here, at the edge, with sentences a commander can
 * act on; the engine then trusts its settings.
 */
import { parseHourWindows } from '../analysis/hour-windows';
import { defaultRotationSettings, type RotationSettings } from '../analysis/rotation';

export interface PlanForm {
  /** first day of the plan, YYYY-MM-DD; '' = the day after the last loaded call */
  planStart: string;
  planDays: number;
  /** shift hours, e.g. "07-15,15-23,23-07" */
  shiftsText: string;
  /** units per shift id (a shift not listed gets 1) */
  unitsPerShift: Record<string, number>;
  /** assign units per district (the data's district column) instead of city-wide */
  byDistrict: boolean;
  /** shift id → district → units, used when byDistrict */
  unitsByDistrict: Record<string, Record<string, number>>;
  placesPerUnit: number;
  /**
   * 'auto': the evidence window is chosen from the data before the plan (backtest.ts
   * chooseEvidenceWindow, as the CLI does); 'set': evidenceDays and halfLifeDays as typed
   */
  evidenceWindow: 'auto' | 'set';
  evidenceDays: number;
  /** recency half-life of the evidence weighting, days; 0 = no decay (every day of the window counts the same) */
  halfLifeDays: number;
  /** call-type codes in scope; null = every type */
  typeCodes: string[] | null;
  includeSelfInitiated: boolean;
  /** concentration cap: one area's share of all patrol minutes, percent */
  maxMinutesSharePct: number;
  /** an area's patrol-minutes share over its resident-calls share */
  maxShareRatio: number;
  /** fewer calls than this in the evidence window = thin evidence */
  minEvidenceCalls: number;
  seed: number;
  cellMeters: number;
}

export const DEFAULT_PLAN_FORM: PlanForm = {
  planStart: '',
  planDays: 7,
  shiftsText: '07-15,15-23,23-07',
  unitsPerShift: {},
  byDistrict: false,
  unitsByDistrict: {},
  placesPerUnit: 3,
  evidenceWindow: 'auto',
  evidenceDays: 28,
  halfLifeDays: 14,
  typeCodes: null,
  includeSelfInitiated: false,
  maxMinutesSharePct: 40,
  maxShareRatio: 2,
  minEvidenceCalls: 10,
  seed: 1,
  cellMeters: 150,
};

function whole(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max} (got ${Number.isFinite(v) ? v : 'nothing'}).`);
  return v;
}

/** Settings for planRotation; `dayAfterData` is used when the form leaves the start empty. Throws RangeError. */
export function settingsFromForm(form: PlanForm, dayAfterData: string): RotationSettings {
  const windowStart = form.planStart.trim() || dayAfterData;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(windowStart) || Number.isNaN(Date.parse(`${windowStart}T00:00:00Z`))) throw new RangeError(`The plan start "${windowStart}" is not a date; pick a day (YYYY-MM-DD).`);
  let shifts: ReturnType<typeof parseHourWindows>;
  try {
    shifts = parseHourWindows(form.shiftsText);
  } catch (e) {
    throw new RangeError(`Shifts: ${(e as Error).message}`);
  }
  if (shifts.length === 0 || shifts.length > 6) throw new RangeError('Give 1 to 6 shifts, e.g. 07-15,15-23,23-07.');
  if (new Set(shifts.map((s) => s.id)).size !== shifts.length) throw new RangeError('Each shift may be listed once.');
  const units: RotationSettings['units'] = {};
  for (const sh of shifts) {
    if (form.byDistrict) {
      const perDistrict = Object.entries(form.unitsByDistrict[sh.id] ?? {}).filter(([, n]) => n > 0);
      for (const [d, n] of perDistrict) whole(`Units for ${sh.label} in district ${d}`, n, 0, 100);
      units[sh.id] = Object.fromEntries(perDistrict);
    } else units[sh.id] = whole(`Units for ${sh.label}`, form.unitsPerShift[sh.id] ?? 1, 0, 100);
  }
  if (!(form.halfLifeDays >= 0 && form.halfLifeDays <= 365)) throw new RangeError(`The recency half-life must be 0 (no decay) to 365 days (got ${form.halfLifeDays}).`);
  if (!(form.maxMinutesSharePct > 0 && form.maxMinutesSharePct <= 100)) throw new RangeError(`The concentration cap is a share of patrol minutes, 1–100 % (got ${form.maxMinutesSharePct}).`);
  if (!(form.maxShareRatio >= 1 && form.maxShareRatio <= 20)) throw new RangeError(`The minutes-to-calls ratio cap must be 1–20 (got ${form.maxShareRatio}).`);
  return defaultRotationSettings(windowStart, {
    windowDays: whole('Days planned', form.planDays, 1, 31),
    shifts,
    units,
    placesPerUnit: whole('Places per unit', form.placesPerUnit, 1, 6),
    evidenceDays: whole('Evidence days', form.evidenceDays, 7, 365),
    halfLifeDays: form.halfLifeDays === 0 ? Number.POSITIVE_INFINITY : form.halfLifeDays,
    seed: whole('Seed', form.seed, 0, 2 ** 31 - 1),
    includeSelfInitiated: form.includeSelfInitiated,
    typeCodes: form.typeCodes && form.typeCodes.length > 0 ? form.typeCodes.slice() : null,
    cellMeters: whole('Cell size (m)', form.cellMeters, 25, 1000),
    guardrails: { maxShareRatio: form.maxShareRatio, maxMinutesShare: form.maxMinutesSharePct / 100, minEvidenceCalls: whole('Thin-evidence threshold', form.minEvidenceCalls, 1, 10_000) },
  });
}

/** The form that rebuilds a plan's settings (a re-imported plan opens with what built it). */
export function formFromSettings(s: RotationSettings): PlanForm {
  const unitsPerShift: Record<string, number> = {};
  const unitsByDistrict: Record<string, Record<string, number>> = {};
  let byDistrict = false;
  for (const [id, u] of Object.entries(s.units)) {
    if (typeof u === 'number') unitsPerShift[id] = u;
    else {
      byDistrict = true;
      unitsByDistrict[id] = { ...u };
    }
  }
  return {
    planStart: s.windowStart,
    planDays: s.windowDays,
    shiftsText: s.shifts.map((sh) => sh.id).join(','),
    unitsPerShift,
    byDistrict,
    unitsByDistrict,
    placesPerUnit: s.placesPerUnit,
    // a plan's settings are the window it used: rebuilding it must not choose again
    evidenceWindow: 'set',
    evidenceDays: s.evidenceDays,
    halfLifeDays: Number.isFinite(s.halfLifeDays) ? s.halfLifeDays : 0,
    typeCodes: s.typeCodes,
    includeSelfInitiated: s.includeSelfInitiated,
    maxMinutesSharePct: Math.round(s.guardrails.maxMinutesShare * 1000) / 10,
    maxShareRatio: s.guardrails.maxShareRatio,
    minEvidenceCalls: s.guardrails.minEvidenceCalls,
    seed: s.seed,
    cellMeters: s.cellMeters,
  };
}

/** Shift ids of the form's shift text, or [] while the text does not parse. */
export function formShiftIds(form: PlanForm): { id: string; label: string }[] {
  try {
    return parseHourWindows(form.shiftsText).map((s) => ({ id: s.id, label: s.label }));
  } catch {
    return [];
  }
}
