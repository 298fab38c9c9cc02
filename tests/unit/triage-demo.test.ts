/**
 * Issue acceptance on the demo city's planted truth (data/demo/truth.json): the triage,
 * outcomes and equity CLI sections must find the under-triage band, the slow outskirts and
 * the low-digital-access beats, and nothing about them is hard-coded here but the truth file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../scripts/analyze';
import type { equitySection, outcomesSection, tiersSection } from '../../src/state/triage-report';

const demoDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../data/demo');
const ready = existsSync(path.join(demoDir, 'truth.json')) && existsSync(path.join(demoDir, 'calls.parquet'));
if (!ready) console.warn('data/demo not generated yet (npm run make-demo-data); skipping the triage demo acceptance test.');

type Json = {
  tierMap: { source: string };
  tiers: Awaited<ReturnType<typeof tiersSection>>;
  outcomes: Awaited<ReturnType<typeof outcomesSection>>;
  equity: Awaited<ReturnType<typeof equitySection>>;
};

describe.skipIf(!ready)('triage on the demo city (planted truth)', () => {
  let json: Json;
  // biome-ignore lint/suspicious/noExplicitAny: truth.json is read as data; the assertions say which fields matter
  let truth: { patterns: Record<string, any> };
  let areaBeat: Map<string, string>;
  beforeAll(async () => {
    truth = JSON.parse(readFileSync(path.join(demoDir, 'truth.json'), 'utf8'));
    const geo = JSON.parse(readFileSync(path.join(demoDir, 'areas.geojson'), 'utf8'));
    areaBeat = new Map(geo.features.map((f: { properties: { area_id: string; beat: string } }) => [f.properties.area_id, f.properties.beat]));
    const out = await analyze({ files: [path.join(demoDir, 'calls.parquet')], json: true, help: false }, { tiers: true, outcomes: true, equity: true });
    json = out.json as unknown as Json;
  }, 120_000);

  it('uses the demo config tier map', () => {
    expect(json.tierMap.source).toBe('dataset');
  });

  it('flags the under-triage band: initial NOISE becoming SHOTS at 22:00–02:00, with the truth counts', () => {
    const u = truth.patterns.underTriage;
    expect(json.tiers.audit.severeUnderTriage.count).toBe(u.observed.level1ToLevel3);
    const band = json.tiers.bands.toLevel3.find((b) => b.type === u.initialType);
    expect(band, 'a NOISE band').toBeDefined();
    expect([band!.startHour, band!.endHour]).toEqual([u.startHour, u.endHour]);
    expect(band!.events).toBe(u.observed.inBand);
    expect(band!.rate).toBeCloseTo(u.observed.rateInBand, 4);
    // It is the strongest band: more Level 3 events than any other type/hour band.
    expect(json.tiers.bands.toLevel3[0]!.type).toBe(u.initialType);
    // The final type of those calls is the planted one.
    const top = json.tiers.transitions.filter((t) => t.initialType === u.initialType && t.finalTier === 3)[0]!;
    expect(top.finalType).toBe(u.finalType);
    // The hour screen on all types flags the band's hours too.
    const hours = new Set(json.tiers.concentrations.hour.flagged.map((g) => Number(g.key)));
    for (let h = u.startHour; h !== u.endHour; h = (h + 1) % 24) expect(hours.has(h), `hour ${h} flagged`).toBe(true);
  });

  it('flags exactly the slow outskirts (beats 5C, 3C, 6E) as long-wait areas, slowest medians first', () => {
    const slow = truth.patterns.slowOutskirts.areas as { id: string; beat: string }[];
    const flagged = json.equity.flaggedAreas.map((a) => a.areaId);
    expect(new Set(flagged)).toEqual(new Set(slow.map((a) => a.id)));
    expect(new Set(flagged.map((id) => areaBeat.get(id!)))).toEqual(new Set(slow.map((a) => a.beat)));
    const byMedian = json.equity.slowAreas.all.areas.slice(0, 3).map((a) => a.areaId);
    expect(new Set(byMedian)).toEqual(new Set(slow.map((a) => a.id)));
  });

  it('flags exactly the low-digital-access beats (4A, 4C, 1F)', () => {
    const low = truth.patterns.lowDigitalAccess.areas as { id: string; beat: string }[];
    const flagged = json.equity.channel.digital.areas.filter((a) => a.flagged).map((a) => a.areaId!);
    expect(new Set(flagged)).toEqual(new Set(low.map((a) => a.id)));
    expect(new Set(flagged.map((id) => areaBeat.get(id)))).toEqual(new Set(low.map((a) => a.beat)));
  });

  it('outcomes: disposition groups add up; recurrence denominators shrink with the horizon', () => {
    const all = json.outcomes.dispositions.all!;
    expect(all.total).toBe(json.tiers.audit.total);
    for (const g of json.outcomes.dispositions.byTier) expect(g.items.reduce((s, i) => s + i.n, 0)).toBe(g.total);
    const [h30, h60, h90] = json.outcomes.recurrence.all!.horizons;
    expect(h30!.judged).toBeGreaterThan(h60!.judged);
    expect(h60!.judged).toBeGreaterThan(h90!.judged);
    console.info(
      `demo: NOISE band ${json.tiers.bands.toLevel3[0]!.events} calls; long-wait ${json.equity.flaggedAreas.map((a) => a.areaId).join(',')}; low digital ${json.equity.channel.digital.areas
        .filter((a) => a.flagged)
        .map((a) => `${a.areaId} ${(100 * a.share).toFixed(1)}%`)
        .join(', ')}`,
    );
  });
  it('gives calls per 1,000 residents from the areas file population, recomputed from its own counts', () => {
    const geo = JSON.parse(readFileSync(path.join(demoDir, 'areas.geojson'), 'utf8'));
    const pop = new Map<string, number>(geo.features.map((f: { properties: { area_id: string; population: number } }) => [f.properties.area_id, f.properties.population]));
    expect(json.equity.rates.length).toBe(pop.size);
    // Counts come from the initiation table (a different field set of the same query); rates from the file.
    const calls = new Map(json.equity.initiation.map((a) => [a.areaId, a.calls]));
    for (const r of json.equity.rates) {
      expect(r.population).toBe(pop.get(r.areaId));
      expect(r.calls).toBe(calls.get(r.areaId));
      expect(r.perThousand).toBeCloseTo((1000 * r.calls) / pop.get(r.areaId)!, 9);
      expect(r.resident).toBeLessThanOrEqual(r.calls);
    }
    const total = json.equity.rates.reduce((n, r) => n + r.calls, 0);
    const located = json.equity.initiation.filter((a) => a.areaId !== null).reduce((n, a) => n + a.calls, 0);
    expect(total).toBe(located);
  });
});
