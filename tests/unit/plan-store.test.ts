/**
 * The Plan tab's state and its run on real DuckDB: form → settings validation, re-import of a
 * plan file (accepted files open pinned; refused files leave the shown plan alone and say why),
 * and buildPlan on the demo city through the analysis-worker protocol (a real MessageChannel to
 * serveAnalysis): the evidence is the cross-filtered calls (recounted in SQL), the plan's places
 * stay inside the filter, an empty filter gives a sentence. (That the worker returns what the
 * pipeline returns in-process is analysis-worker.test.ts's job.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findHubs } from '../../src/analysis/hubs';
import type { RotationPlan } from '../../src/analysis/rotation';
import { toRows } from '../../src/data/rows';
import { type Sql, sql } from '../../src/data/sql';
import { tierMapFromConfig } from '../../src/data/tier-map-config';
import { extractRotationFlags, runRotation } from '../../scripts/cli/rotation-flags';
import { serializePlan } from '../../src/export/plan-json';
import { DEFAULT_PLAN_FORM, formFromSettings, type PlanForm, settingsFromForm } from '../../src/state/plan-form';
import { buildPlan, planDistricts, PlanInputError, sqlHalfLife } from '../../src/state/plan-run';
import { getPlanState, importPlan, showPlan, updatePlanState } from '../../src/state/plan-store';
import { getSession, updateSession } from '../../src/state/session-store';
import type { AnalysisClient } from '../../src/workers/analysis-client';
import { DEMO_DIR, type DemoCity, demoReady, openDemoCity } from './demo-city';
import { type InProcessAnalysis, inProcessAnalysis } from './analysis-channel';

describe('plan form', () => {
  it('turns the form into engine settings and back', () => {
    const form: PlanForm = { ...DEFAULT_PLAN_FORM, shiftsText: '06-14, 14-22,22-06', unitsPerShift: { '22-06': 2 }, maxMinutesSharePct: 30, seed: 7 };
    const s = settingsFromForm(form, '2026-09-28');
    expect(s.windowStart).toBe('2026-09-28');
    expect(s.shifts.map((x) => x.id)).toEqual(['06-14', '14-22', '22-06']);
    expect(s.units).toEqual({ '06-14': 1, '14-22': 1, '22-06': 2 });
    expect(s.guardrails.maxMinutesShare).toBeCloseTo(0.3);
    expect(s.includeSelfInitiated).toBe(false);
    const back = formFromSettings(s);
    expect(settingsFromForm(back, '1999-01-01')).toEqual(s);
  });

  it('a half-life of 0 means no recency decay, and comes back as 0 from a plan', () => {
    const s = settingsFromForm({ ...DEFAULT_PLAN_FORM, halfLifeDays: 0 }, '2026-01-05');
    expect(s.halfLifeDays).toBe(Number.POSITIVE_INFINITY);
    expect(formFromSettings(s).halfLifeDays).toBe(0);
    expect(sqlHalfLife(s.halfLifeDays)).toBe(1e12);
    expect(sqlHalfLife(14)).toBe(14);
  });

  it('keeps units per district and drops districts with none', () => {
    const s = settingsFromForm({ ...DEFAULT_PLAN_FORM, byDistrict: true, unitsByDistrict: { '23-07': { North: 2, South: 0 } } }, '2026-01-05');
    expect(s.units['23-07']).toEqual({ North: 2 });
    expect(s.units['07-15']).toEqual({});
  });

  it('refuses bad input with a sentence naming the field', () => {
    const bad = (patch: Partial<PlanForm>) => () => settingsFromForm({ ...DEFAULT_PLAN_FORM, ...patch }, '2026-01-05');
    expect(bad({ shiftsText: '7 to 3' })).toThrow(/^Shifts: "7 to 3" is not an hour window/);
    expect(bad({ placesPerUnit: 9 })).toThrow(/Places per unit must be a whole number from 1 to 6/);
    expect(bad({ unitsPerShift: { '07-15': -1 } })).toThrow(/Units for 07:00–15:00/);
    expect(bad({ planStart: '2026-13-45' })).toThrow(/not a date/);
    expect(bad({ maxMinutesSharePct: 0 })).toThrow(/concentration cap/);
    expect(bad({ shiftsText: '07-15,07-15' })).toThrow(/listed twice/);
  });
});

describe.skipIf(!demoReady)('plan run and store on the demo city', () => {
  let city: DemoCity;
  let analysis: InProcessAnalysis;
  let client: AnalysisClient;
  const form: PlanForm = { ...DEFAULT_PLAN_FORM, planDays: 2, evidenceWindow: 'set', evidenceDays: 21, unitsPerShift: { '23-07': 2 } };
  beforeAll(async () => {
    city = await openDemoCity();
    analysis = inProcessAnalysis();
    client = analysis.client;
  }, 120_000);
  afterAll(async () => {
    analysis?.close();
    await city?.db.close();
  });
  beforeEach(() => updatePlanState({ plan: null, origin: null, pinned: false, error: null, shiftIndex: 0, selectedPlaceId: null }));

  const ctx = () => ({ areas: city.areas, hubs: findHubs(city.gtfs).hubs, tierMap: tierMapFromConfig(city.config.tierMap).map });
  const count = async (where: Sql, start: string, end: string) =>
    Number(
      toRows(
        await city.db.query(
          sql`SELECT count(*)::INTEGER AS n FROM calls WHERE lon IS NOT NULL AND lat IS NOT NULL AND NOT coalesce(self_initiated, false)
            AND received_at >= CAST(${start} AS TIMESTAMP) AND received_at < CAST(${end} AS TIMESTAMP) AND (${where})`,
        ),
      )[0]!.n,
    );

  let full: RotationPlan;
  it('plans in the worker on the SQL-recounted evidence, with referral shares from the tier map', async () => {
    const phases: string[] = [];
    full = await buildPlan(city.db, sql`TRUE`, form, ctx(), { client, onProgress: (p) => phases.push(p) });
    expect(phases).toContain('Finding repeat-report clusters');
    expect(full.settings.windowStart).toBe('2026-09-28');
    expect(full.shifts).toHaveLength(2 * 3);
    expect(full.shifts.find((s) => s.shiftId === '23-07')!.units).toHaveLength(2);
    expect(full.evidence.calls).toBe(await count(sql`TRUE`, '2026-09-07 00:00:00', '2026-09-28 00:00:00'));
    // the demo's Level 1 referral types (loitering, welfare, homelessness) reach the referral rule
    expect(full.places.some((p) => p.referralShare > 0)).toBe(true);
    // visit windows follow the Koper protocol: 15-minute stops
    const visits = full.shifts.flatMap((s) => s.units.flatMap((u) => u.schedule.visits));
    expect(visits.length).toBeGreaterThan(0);
    expect(visits.every((v) => Math.abs(v.leaveMinute - v.arriveMinute - 15) < 1e-9)).toBe(true);
  }, 120_000);

  it('chooses the evidence window from the data by default, as the CLI does, and refers the downtown hub at night', async () => {
    expect(DEFAULT_PLAN_FORM.evidenceWindow).toBe('auto');
    const phases: string[] = [];
    const plan = await buildPlan(city.db, sql`TRUE`, { ...form, evidenceWindow: 'auto' }, ctx(), { client, onProgress: (p) => phases.push(p) });
    expect(phases[1]).toBe('Choosing the evidence window');
    const { flags } = extractRotationFlags(['calls.parquet', '--rotation']);
    const cli = await runRotation(city.db, flags!, { callFile: `${DEMO_DIR}/calls.parquet`, areas: city.areas });
    const choice = cli.evidenceChoice!;
    expect(choice.fallback).toBe(false);
    expect({ evidenceDays: plan.settings.evidenceDays, halfLifeDays: plan.settings.halfLifeDays }).toEqual(choice.chosen);
    const note = plan.notes.find((n) => n.startsWith('Evidence window:'))!;
    expect(note).toMatch(/chosen automatically/);
    // every window's score, in the note and in the plan's record that the results table shows, is the CLI's
    for (const c of choice.scores) expect(note).toContain(`PAI ${c.pai.toFixed(2)}`);
    expect(plan.evidence.choice).toEqual({ scores: choice.scores, weeks: choice.weeks.length, selectCoverage: 0.02, fallback: false });
    // the record survives export and re-import, flat windows (infinite half-life) included
    expect(importPlan(serializePlan(plan), 'auto.json')).toBeNull();
    expect(getPlanState().plan!.evidence.choice).toEqual(plan.evidence.choice);
    expect(getPlanState().form.evidenceWindow).toBe('set');
    // H1 (truth.json patterns.loiteringNearHub): loitering 20:00–02:00 at the downtown hub. Over
    // the place's whole day it is diluted by daytime calls; in the night shift's hours it is the pattern.
    const hub = plan.places.find((p) => p.hub && /Downtown/.test(p.hub.name))!;
    expect(hub.action).toBe('patrol-and-refer');
    expect(hub.referralShiftId).toBe('23-07');
    expect(hub.referralCalls).toBeLessThan(hub.calls);
    expect(hub.why.join(' ')).toMatch(/% of its \d+ calls in the 23:00–07:00 shift are Level 1 referral matters/);
  }, 120_000);

  it('follows the cross-filter: evidence is the filtered calls, cells stay on the same grid', async () => {
    const where = sql`area_id IN ('A17', 'A03')`;
    const plan = await buildPlan(city.db, where, form, ctx(), { client });
    expect(plan.evidence.calls).toBe(await count(where, '2026-09-07 00:00:00', '2026-09-28 00:00:00'));
    expect(plan.evidence.calls).toBeLessThan(full.evidence.calls);
    expect(new Set(plan.places.map((p) => p.areaId))).toEqual(new Set(['A17', 'A03']));
    // same cell ids as the unfiltered plan for the same places: the grid did not move
    const cellsFull = new Set(full.places.flatMap((p) => p.cells));
    expect(plan.places.flatMap((p) => p.cells).some((c) => cellsFull.has(c))).toBe(true);
    // no recency decay: every weight 1, so the expected calls are plain means (finite, not NULL)
    const flat = await buildPlan(city.db, where, { ...form, halfLifeDays: 0 }, ctx(), { client });
    expect(flat.evidence.calls).toBe(plan.evidence.calls);
    expect(flat.places.every((p) => Object.values(p.expectedPerShift).every(Number.isFinite))).toBe(true);
    expect(flat.places.filter((p) => Object.values(p.expectedPerShift).some((v) => v > 0)).length).toBe(flat.places.length);
    await expect(buildPlan(city.db, sql`FALSE`, form, ctx(), { client })).rejects.toThrow(PlanInputError);
    await expect(buildPlan(city.db, sql`FALSE`, form, ctx(), { client })).rejects.toThrow(/No call in scope between 2026-09-07 and 2026-09-28 under the current filters/);
    const districts = toRows(await city.db.query("SELECT district FROM calls WHERE district IS NOT NULL AND trim(district) <> '' GROUP BY district ORDER BY count(*) DESC, district")).map((r) => String(r.district));
    expect(await planDistricts(city.db)).toEqual(districts.slice(0, 40));
  }, 120_000);

  it('cancels in the worker between phases and says so', async () => {
    const abort = new AbortController();
    const phases: string[] = [];
    const run = buildPlan(city.db, sql`TRUE`, form, ctx(), {
      client,
      signal: abort.signal,
      onProgress: (p) => {
        phases.push(p);
        if (p === 'Finding repeat-report clusters') abort.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AnalysisCancelled', cancelled: true });
    expect(phases).not.toContain('Ranking places and scheduling visits');
  }, 60_000);

  it('re-imports an exported plan pinned; a refused file says why and leaves the plan alone', () => {
    showPlan(full, 'types LOITERING');
    expect(getPlanState().origin).toBe('planned');
    expect(importPlan(serializePlan(full), 'plan.json')).toBeNull();
    const s = getPlanState();
    expect(s.pinned).toBe(true);
    expect(s.origin).toBe('imported');
    expect(serializePlan(s.plan!)).toBe(serializePlan(full));
    expect(s.form.unitsPerShift['23-07']).toBe(2);
    const hostile = serializePlan(full).replace('"version": 1', '"version": 1, "__proto__": {"polluted": true}');
    expect(importPlan(hostile, 'evil.json')).toMatch(/^evil\.json: This is not a valid plan file \(key "__proto__" is not allowed\)/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const extra = JSON.parse(serializePlan(full));
    extra.places[0].onclick = '<img src=x onerror=alert(1)>';
    expect(importPlan(JSON.stringify(extra), 'extra.json')).toMatch(/\$\.places\[0\] has an unexpected field "onclick"/);
    expect(getPlanState().error).toMatch(/^extra\.json/);
    expect(serializePlan(getPlanState().plan!)).toBe(serializePlan(full));
  });

  it('a new dataset drops an unpinned plan (the map must not show it on other data) and keeps a pinned one', () => {
    showPlan(full, '');
    updatePlanState({ pinned: true });
    updateSession({ datasetEpoch: getSession().datasetEpoch + 1 });
    expect(getPlanState().plan).not.toBeNull();
    updatePlanState({ pinned: false });
    updateSession({ datasetEpoch: getSession().datasetEpoch + 1 });
    expect(getPlanState().plan).toBeNull();
  });
});
