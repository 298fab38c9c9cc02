/**
 * Test data for the tiers / outcomes / recurrence / equity tests: a seeded synthetic call
 * log with known structure, and the real New Orleans file through the real loader.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomExponential, randomLcg, randomNormal } from 'd3';
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import { openTestDb } from '../engine';

export interface SyntheticCall {
  call_id: string;
  received_at: string;
  dispatched_at: string | null;
  arrived_at: string | null;
  closed_at: string | null;
  lon: number | null;
  lat: number | null;
  type_code: string;
  type_text: string;
  initial_type_code: string | null;
  initial_type_text: string | null;
  initial_priority: string | null;
  priority: string;
  disposition: string | null;
  self_initiated: boolean | null;
  channel: string | null;
  district: string;
  beat: string | null;
  block_address: string | null;
  area_id: string;
  area_name: string;
}

export const CENTRE = { lon: -90.07, lat: 29.95 };
/** Areas at increasing distance east of the centre (km) so response times grow outward. */
export const AREAS = [0, 1, 2, 3, 5, 8, 12, 16].map((km, i) => ({ id: `A${i + 1}`, name: `Area ${i + 1}`, km }));

export const TYPES = [
  { code: '21', text: 'COMPLAINT OTHER', priority: '1E', weight: 10 },
  { code: '21N', text: 'NOISE COMPLAINT', priority: '0A', weight: 8 },
  { code: 'LOIT', text: 'LOITERING', priority: '1J', weight: 6 },
  { code: '107', text: 'SUSPICIOUS PERSON', priority: '1C', weight: 8 },
  { code: '103', text: 'DISTURBANCE (OTHER)', priority: '1D', weight: 8 },
  { code: '62R', text: 'RESIDENCE BURGLARY', priority: '1G', weight: 5 },
  { code: '64G', text: 'ARMED ROBBERY WITH GUN', priority: '2D', weight: 3 },
  { code: '34S', text: 'AGGRAVATED BATTERY BY SHOOTING', priority: '2C', weight: 2 },
];

const pad = (n: number) => String(n).padStart(2, '0');
export function isoMinutes(epochMinutes: number): string {
  const d = new Date(epochMinutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`;
}

/**
 * `n` calls over 180 days from 2023-01-01. A Level-3 call (priority 2 types) was first
 * entered as a Level-1 complaint 15% of the time; in area A7 between 01:00 and 04:59 half of
 * all Level 2 and 3 calls were, so the concentration screen has one real signal to find.
 */
export function syntheticCalls(n: number, seed = 42): SyntheticCall[] {
  const rand = randomLcg(seed);
  const expo = randomExponential.source(rand)(1 / 6);
  const noise = randomNormal.source(rand)(0, 0.002);
  const totalWeight = TYPES.reduce((s, t) => s + t.weight, 0);
  const start = Date.UTC(2023, 0, 1) / 60_000;
  const out: SyntheticCall[] = [];
  for (let i = 0; i < n; i++) {
    const area = AREAS[Math.floor(rand() * AREAS.length)]!;
    const pick = rand() * totalWeight;
    let cumulative = 0;
    const type = TYPES.find((t) => {
      cumulative += t.weight;
      return pick < cumulative;
    }) ?? TYPES[0]!;
    const received = start + Math.floor(rand() * 180 * 24 * 60);
    const hour = new Date(received * 60_000).getUTCHours();
    const hotspot = area.id === 'A7' && hour >= 1 && hour <= 4;
    let initial: (typeof TYPES)[number] = type;
    const level1 = type.code === '21' || type.code === '21N' || type.code === 'LOIT';
    if (hotspot && !level1 && rand() < 0.5) initial = TYPES[0]!;
    else if (type.priority.startsWith('2') && rand() < 0.15) initial = TYPES[0]!;
    else if (rand() < 0.05) initial = TYPES[3]!;
    const lat = CENTRE.lat + noise();
    const lon = CENTRE.lon + area.km / (111.32 * Math.cos((CENTRE.lat * Math.PI) / 180)) + noise();
    const tierSlow = type.priority.startsWith('2') ? 0.5 : 1;
    const dispatch = received + Math.round(expo() * tierSlow);
    const arrive = dispatch + Math.round((3 + 1.5 * area.km + expo()) * tierSlow);
    const close = arrive + 20 + Math.round(expo() * 10);
    const r = rand();
    out.push({
      call_id: `C${String(i).padStart(6, '0')}`,
      received_at: isoMinutes(received),
      dispatched_at: r < 0.05 ? null : isoMinutes(dispatch),
      arrived_at: r < 0.08 ? null : r < 0.09 ? isoMinutes(received - 30) : isoMinutes(arrive),
      closed_at: isoMinutes(close),
      lon: r > 0.98 ? null : lon,
      lat: r > 0.98 ? null : lat,
      type_code: type.code,
      type_text: type.text,
      initial_type_code: r > 0.97 ? null : initial.code,
      initial_type_text: r > 0.97 ? null : initial.text,
      initial_priority: r > 0.97 ? null : initial.priority,
      priority: type.priority,
      disposition: ['RTF', 'GOA', 'NAT', 'UNF'][Math.floor(rand() * (type.code === '21N' ? 4 : 3))]!,
      self_initiated: r > 0.95 ? null : rand() < 0.1,
      channel: ['phone', 'phone', 'phone', 'online', 'app'][Math.floor(rand() * (area.km > 6 ? 3 : 5))]!,
      district: String(1 + (AREAS.indexOf(area) % 4)),
      beat: null,
      // Few blocks per area so recurrence happens; some calls only have a point.
      block_address: rand() < 0.15 ? null : `${pad(Math.floor(rand() * 12))}XX ${area.name} St`,
      area_id: area.id,
      area_name: area.name,
    });
  }
  return out;
}

const COLUMN_TYPES: Record<keyof SyntheticCall, string> = {
  call_id: 'VARCHAR',
  received_at: 'TIMESTAMP',
  dispatched_at: 'TIMESTAMP',
  arrived_at: 'TIMESTAMP',
  closed_at: 'TIMESTAMP',
  lon: 'DOUBLE',
  lat: 'DOUBLE',
  type_code: 'VARCHAR',
  type_text: 'VARCHAR',
  initial_type_code: 'VARCHAR',
  initial_type_text: 'VARCHAR',
  initial_priority: 'VARCHAR',
  priority: 'VARCHAR',
  disposition: 'VARCHAR',
  self_initiated: 'BOOLEAN',
  channel: 'VARCHAR',
  district: 'VARCHAR',
  beat: 'VARCHAR',
  block_address: 'VARCHAR',
  area_id: 'VARCHAR',
  area_name: 'VARCHAR',
};

const csvCell = (v: unknown): string => (v === null || v === undefined ? '' : `"${String(v).replaceAll('"', '""')}"`);

/**
 * Create `calls` (canonical columns + hour, dow, geo_quality) from records, via an in-memory
 * CSV (the wasm build has no JSON extension).
 */
export async function createCallsTable(db: Db, calls: readonly Partial<SyntheticCall>[], table = 'calls'): Promise<void> {
  const file = `${table}-${calls.length}-${Math.random().toString(36).slice(2)}.csv`;
  const keys = Object.keys(COLUMN_TYPES) as (keyof SyntheticCall)[];
  const lines = [keys.join(','), ...calls.map((c) => keys.map((k) => csvCell(c[k])).join(','))];
  await db.registerFile(file, new TextEncoder().encode(`${lines.join('\n')}\n`));
  const columns = `{${Object.entries(COLUMN_TYPES)
    .map(([k, t]) => `'${k}': '${t}'`)
    .join(', ')}}`;
  // Test-only SQL over our own constant column list: no user text is involved.
  await db.query(`CREATE OR REPLACE TABLE "${table}" AS SELECT *, hour(received_at) AS hour, isodow(received_at) - 1 AS dow,
    CASE WHEN lon IS NULL OR lat IS NULL THEN 'missing' ELSE 'valid' END AS geo_quality
    FROM read_csv('${file}', header = true, columns = ${columns})`);
  await db.dropFile(file);
}

/**
 * The real NOPD RTCC subset loaded the way the app and the CLI load it: `importDataset` with
 * the built-in NOPD preset and the 72 neighbourhood polygons, so area = neighbourhood
 * statistical area (not police district). The raw file is also staged, untouched, as
 * `nopd_raw` (all text, `_line` in file order) so tests can recount independently of the
 * loader.
 */
export async function loadNolaCalls(db: Db, dir: string): Promise<void> {
  const bytes = new Uint8Array(readFileSync(path.join(dir, 'nopd_cfs_2022_rtcc_subset.csv')));
  const geo = 'nola_neighborhood_statistical_areas.geojson';
  const { areas } = loadAreas({ name: geo, bytes: new Uint8Array(readFileSync(path.join(dir, geo))) });
  // No mapping given: importDataset matches the built-in NOPD preset from the header, as the app does.
  const { report } = await importDataset(db, [{ name: 'nopd_cfs_2022_rtcc_subset.csv', bytes }], { areas });
  if (report.mapping.columns.call_id !== 'item_number') throw new Error('the NOPD preset was not matched');
  await db.registerFile('nopd-raw.csv', bytes);
  await db.query(`CREATE OR REPLACE TABLE nopd_raw AS SELECT *, row_number() OVER () AS _line
    FROM read_csv('nopd-raw.csv', all_varchar = true, header = true)`);
  await db.dropFile('nopd-raw.csv');
}

/**
 * The New Orleans calls loaded once for the enclosing describe block (nothing happens when the
 * data pack is absent; those tests skip). Returns a Db that forwards to the loaded engine, so
 * tests and the functions they call use it like any other handle.
 */
export function useNolaCalls(dir: string | null): Db {
  let real: Db | undefined;
  beforeAll(async () => {
    if (!dir) return;
    real = await openTestDb();
    await loadNolaCalls(real, dir);
  });
  afterAll(async () => real?.close());
  const db = (): Db => {
    if (!real) throw new Error('New Orleans calls are not loaded (data pack missing or beforeAll failed).');
    return real;
  };
  return {
    query: (statement) => db().query(statement),
    registerFile: (name, bytes) => db().registerFile(name, bytes),
    dropFile: (name) => db().dropFile(name),
    insertArrowIpc: (table, ipc, create) => db().insertArrowIpc(table, ipc, create),
    cancel: () => db().cancel(),
    close: async () => {},
  };
}
