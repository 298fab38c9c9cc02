/**
 * Test helper: the synthetic demo city (data/demo) imported through the app's own loaders into
 * a real DuckDB, with its areas, GTFS feed and ground truth. Shared by the pipeline tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import { type GtfsFeed, loadGtfs } from '../../src/data/load-gtfs';
import type { AreaFeature, ColumnMapping } from '../../src/data/types';
import { openTestDb } from '../engine';

export const DEMO_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../data/demo');
export const demoReady = existsSync(path.join(DEMO_DIR, 'truth.json')) && existsSync(path.join(DEMO_DIR, 'calls.parquet'));
if (!demoReady) console.warn('data/demo not generated yet (npm run make-demo-data); skipping demo-city tests.');

export interface DemoCity {
  db: Db;
  areas: AreaFeature[];
  gtfs: GtfsFeed;
  // biome-ignore lint/suspicious/noExplicitAny: truth.json is read as documented in data/demo/README.md
  truth: any;
  // biome-ignore lint/suspicious/noExplicitAny: config.json likewise
  config: any;
}

export function readDemoGtfs(): GtfsFeed {
  const dir = path.join(DEMO_DIR, 'gtfs');
  return loadGtfs(readdirSync(dir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) })));
}

export function readDemoAreas(): AreaFeature[] {
  return loadAreas({ name: 'areas.geojson', bytes: new Uint8Array(readFileSync(path.join(DEMO_DIR, 'areas.geojson'))) }, { idProperty: 'area_id', nameProperty: 'name' }).areas;
}

export async function openDemoCity(): Promise<DemoCity> {
  const config = JSON.parse(readFileSync(path.join(DEMO_DIR, 'config.json'), 'utf8'));
  const truth = JSON.parse(readFileSync(path.join(DEMO_DIR, 'truth.json'), 'utf8'));
  const areas = readDemoAreas();
  const db = await openTestDb();
  const bytes = new Uint8Array(readFileSync(path.join(DEMO_DIR, 'calls.parquet')));
  await importDataset(db, [{ name: 'calls.parquet', bytes }], { mapping: config.expectedMapping as ColumnMapping, areas });
  return { db, areas, gtfs: readDemoGtfs(), truth, config };
}
