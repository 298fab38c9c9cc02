import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { suggestionsToTierMap, suggestTiers, type TypeSummary } from '../../src/analysis/tier-suggest';
import type { TierMap } from '../../src/analysis/tiers';
import type { Db } from '../../src/data/db-types';
import { ImportError } from '../../src/data/errors';
import { loadAreas } from '../../src/data/load-geo';
import { matchPreset } from '../../src/data/presets';
import nopdTiers from '../../src/data/presets/tiers-nopd.json';
import { typeCatalog } from '../../src/data/queries/tiers';
import { toRows } from '../../src/data/rows';
import { parseTierMap } from '../../src/data/tier-map';
import { tierMapFromConfig } from '../../src/data/tier-map-config';
import type { AreaFeature, ColumnMapping } from '../../src/data/types';
import { equitySection, outcomesSection, tiersSection } from '../../src/state/triage-report';

/**
 * `--tiers --outcomes --equity [--tier-map file.json]` for `npm run analyze`. Kept apart from
 * args.ts so the analysis flags of other sections do not collide: these are taken out of argv
 * first, the rest goes to the shared parser.
 */
export interface TriageFlags {
  tiers: boolean;
  outcomes: boolean;
  equity: boolean;
  tierMap?: string;
}

export const TRIAGE_USAGE = `Triage, outcomes and equity:
  --tiers                  tier mix, referral opportunities, misclassification audit
  --outcomes               dispositions by tier/area, recurrence at 30/60/90 days
  --equity                 response times by tier and area, slow areas, distance, channel mix
  --tier-map <file.json>   tier map to use (default: the built-in preset matching the data,
                           the dataset's config.json, else a suggested map to review)
`;

export function extractTriageFlags(argv: readonly string[]): { rest: string[]; flags: TriageFlags | null } {
  const flags: TriageFlags = { tiers: false, outcomes: false, equity: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--tiers') flags.tiers = true;
    else if (a === '--outcomes') flags.outcomes = true;
    else if (a === '--equity') flags.equity = true;
    else if (a === '--tier-map' || a.startsWith('--tier-map=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!value || value.startsWith('--')) throw new Error('--tier-map needs a file name.');
      flags.tierMap = value;
    } else rest.push(a);
  }
  const any = flags.tiers || flags.outcomes || flags.equity;
  if (flags.tierMap && !any) throw new Error('--tier-map is used with --tiers, --outcomes or --equity.');
  return { rest, flags: any ? flags : null };
}

/** A dataset config (data/demo/config.json) found beside the first call file. */
export interface DatasetConfig {
  file: string;
  name?: string;
  mapping?: ColumnMapping;
  tierMap?: unknown;
  areasFile?: string;
  areaOptions: { idProperty?: string; nameProperty?: string };
  centre?: { lon: number; lat: number };
}

export async function findDatasetConfig(callFile: string): Promise<DatasetConfig | null> {
  const file = path.join(path.dirname(callFile), 'config.json');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
  // Only a config that names this very file as its calls is the dataset's; any other config.json is ignored.
  const files = (json.files ?? {}) as Record<string, unknown>;
  const own = [files.calls, files.callsSample, files.callsMessy].filter((f) => typeof f === 'string');
  if (!own.includes(path.basename(callFile))) return null;
  const m = (json.expectedMapping ?? json.mapping) as ColumnMapping | undefined;
  const c = json.center as { lon?: unknown; lat?: unknown } | undefined;
  return {
    file,
    ...(typeof json.name === 'string' ? { name: json.name } : {}),
    ...(m && typeof m === 'object' && m.columns && m.location ? { mapping: m } : {}),
    ...(json.tierMap !== undefined ? { tierMap: json.tierMap } : {}),
    ...(typeof files.areas === 'string' ? { areasFile: path.join(path.dirname(callFile), files.areas) } : {}),
    areaOptions: {
      ...(typeof files.areaIdProperty === 'string' ? { idProperty: files.areaIdProperty } : {}),
      ...(typeof files.areaNameProperty === 'string' ? { nameProperty: files.areaNameProperty } : {}),
    },
    ...(c && typeof c.lon === 'number' && typeof c.lat === 'number' ? { centre: { lon: c.lon, lat: c.lat } } : {}),
  };
}

export async function datasetAreas(config: DatasetConfig): Promise<AreaFeature[] | undefined> {
  if (!config.areasFile) return undefined;
  const bytes = new Uint8Array(await readFile(config.areasFile));
  return loadAreas({ name: path.basename(config.areasFile), bytes }, config.areaOptions).areas;
}

export type TierMapSource = 'file' | 'preset' | 'dataset' | 'suggested';
export interface ResolvedTierMap {
  map: TierMap;
  source: TierMapSource;
  note: string;
}

const BUILT_IN_TIER_MAPS: Record<string, unknown> = { nopd: nopdTiers };

/** --tier-map, else the preset matching the file's columns, else the dataset config's, else suggested. */
export async function resolveTierMap(db: Db, flags: TriageFlags, context: { columns: readonly string[]; preset?: string; config: DatasetConfig | null }): Promise<ResolvedTierMap> {
  if (flags.tierMap) {
    let text: string;
    try {
      text = await readFile(flags.tierMap, 'utf8');
    } catch (e) {
      throw new ImportError(flags.tierMap, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}).`, 'Check the path of --tier-map.');
    }
    return { map: parseTierMap(text, path.basename(flags.tierMap)), source: 'file', note: `tier map from ${flags.tierMap}` };
  }
  const presetName = context.preset?.toLowerCase() ?? matchPreset(context.columns)?.name;
  if (presetName && BUILT_IN_TIER_MAPS[presetName]) {
    return { map: parseTierMap(BUILT_IN_TIER_MAPS[presetName], `tiers-${presetName}.json`), source: 'preset', note: `built-in ${presetName} tier map` };
  }
  if (context.config?.tierMap !== undefined) {
    const { map, droppedReferrals } = tierMapFromConfig(context.config.tierMap, context.config.file);
    const dropped = droppedReferrals.length ? `; referral flag ignored for ${droppedReferrals.join(', ')} (not Level 1)` : '';
    return { map, source: 'dataset', note: `tier map from ${context.config.file}${dropped}` };
  }
  const catalog = toRows(await db.query(typeCatalog()));
  const byCode = new Map<string, TypeSummary>();
  for (const r of catalog) {
    const code = String(r.code);
    const t = byCode.get(code) ?? { code, text: r.text === null ? null : String(r.text), priorityCounts: {} };
    if (r.priority !== '') t.priorityCounts[String(r.priority)] = (t.priorityCounts[String(r.priority)] ?? 0) + Number(r.n);
    byCode.set(code, t);
  }
  const map = suggestionsToTierMap(suggestTiers([...byCode.values()]));
  return { map, source: 'suggested', note: 'suggested from type texts and priorities, please review (save it with the app and pass --tier-map)' };
}

export async function triageJson(
  db: Db,
  flags: TriageFlags,
  resolved: ResolvedTierMap,
  options: { centre?: { lon: number; lat: number }; listLimit?: number; population?: Record<string, number> } = {},
): Promise<Record<string, unknown>> {
  const opts = { listLimit: options.listLimit ?? 100, ...(options.centre ? { centre: options.centre } : {}), ...(options.population ? { population: options.population } : {}) };
  const out: Record<string, unknown> = { tierMap: { source: resolved.source, note: resolved.note, rules: resolved.map.rules.length, default: resolved.map.default ?? null } };
  if (flags.tiers) out.tiers = await tiersSection(db, resolved.map, opts);
  if (flags.outcomes) out.outcomes = await outcomesSection(db, resolved.map, opts);
  if (flags.equity) out.equity = await equitySection(db, resolved.map, opts);
  return out;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–');
const fmt = (n: number) => n.toLocaleString('en-US');
const mins = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${x.toFixed(1)} min`);

/** The text report: the headline numbers per section; --json has everything. */
export function formatTriage(json: Record<string, unknown>): string {
  const tm = json.tierMap as { source: string; note: string; rules: number };
  const lines = [`Tier map: ${tm.note} (${tm.rules} rules)`];
  const t = json.tiers as Awaited<ReturnType<typeof tiersSection>> | undefined;
  if (t) {
    lines.push('Tiers');
    lines.push(`  mix            ${t.mix.byTier.map((m) => `${m.tier === null ? 'unknown' : `L${m.tier}`} ${fmt(m.n)} (${pct(m.share)})`).join(', ')}`);
    lines.push(`  referable      ${fmt(t.referralOpportunities.reduce((s, r) => s + r.n, 0))} Level 1 calls in referral categories`);
    const a = t.audit;
    lines.push(`  under-triage   ${fmt(a.underTriage.count)} of ${fmt(a.bothKnown)} (${pct(a.underTriage.rate)}); Level 1 → 3: ${fmt(a.severeUnderTriage.count)}; over-triage ${pct(a.overTriage.rate)}`);
    for (const b of t.bands.toLevel3.slice(0, 5)) {
      lines.push(`  band           ${b.type} ${String(b.startHour).padStart(2, '0')}:00–${String(b.endHour).padStart(2, '0')}:00: ${fmt(b.events)} of ${fmt(b.total)} became Level 3 (${pct(b.rate)} vs ${pct(b.typeRate)} at all hours)`);
    }
    for (const [k, c] of Object.entries(t.concentrations)) {
      if (c.flagged.length) lines.push(`  flagged ${k.padEnd(12)} ${c.flagged.slice(0, 8).map((g) => `${g.key} ${pct(g.rate)}`).join(', ')}`);
    }
  }
  const o = json.outcomes as Awaited<ReturnType<typeof outcomesSection>> | undefined;
  if (o) {
    lines.push('Outcomes');
    for (const g of o.dispositions.byTier) lines.push(`  L${g.key.padEnd(13)} ${g.items.slice(0, 3).map((i) => `${i.disposition} ${pct(i.share)}`).join(', ')} (${fmt(g.total)} calls)`);
    for (const h of o.recurrence.all?.horizons ?? []) lines.push(`  recur ${String(h.days).padStart(2)} d    ${pct(h.recurrenceRate)} of ${fmt(h.judged)} judged (${fmt(h.tooRecent)} too recent)`);
  }
  const e = json.equity as Awaited<ReturnType<typeof equitySection>> | undefined;
  if (e) {
    lines.push('Equity');
    const city = e.response.find((r) => r.measure === 'arrive' && r.grouping === 'all');
    lines.push(`  arrival        median ${mins(city?.medianMinutes)}, p90 ${mins(city?.p90Minutes)} over ${fmt(city?.valid ?? 0)} calls`);
    const slow = new Map(e.slowAreas.all.areas.map((a) => [a.areaId, a]));
    lines.push(
      `  long waits     ${e.flaggedAreas.map((a) => `${a.areaName ?? a.areaId} (${pct(a.shareAbove)} over the city p90 ${mins(e.longWaits.cityP90Minutes)}; median ${mins(slow.get(a.areaId)?.medianMinutes)})`).join(', ') || 'none'}`,
    );
    lines.push(`  distance       Spearman rho ${e.distance.spearman.rho?.toFixed(3) ?? '–'} over ${fmt(e.distance.spearman.n)} calls`);
    const low = e.channel.digital.areas.filter((a) => a.flagged);
    lines.push(e.channel.hasData ? `  low digital    ${low.map((a) => `${a.areaName ?? a.areaId} ${pct(a.share)}`).join(', ') || 'none'} (city ${pct(e.channel.digital.cityShare)})` : '  channel        not recorded in this dataset');
  }
  return `${lines.join('\n')}\n`;
}
