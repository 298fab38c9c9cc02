import { demoConfig, demoReadme } from './docs';
import { type DemoModel, generateModel } from './generate';
import { gtfsFiles } from './gtfs';
import { callsCsv, messyCsv } from './messy';
import { callsParquet } from './parquet';
import { makeRng } from './rng';

const SAMPLE_ROWS = 2000;
const MESSY_SOURCE_ROW = 25_000;

function areasGeoJson(model: DemoModel): string {
  // One feature per line: readable diffs when the generator changes, still compact.
  const features = model.city.areas.map((a) =>
    JSON.stringify({
      type: 'Feature',
      id: a.id,
      properties: { area_id: a.id, name: a.name, population: a.population, district: a.district, beat: a.beat },
      geometry: a.geometry,
    }),
  );
  const head = JSON.stringify({ type: 'FeatureCollection', name: 'Demo city neighbourhoods (SYNTHETIC)' }).slice(0, -1);
  return `${head},"features":[\n${features.join(',\n')}\n]}\n`;
}


/**
 * Every file of the demo dataset, by path relative to the output directory. Pure function
 * of the seed: the same seed gives the same bytes.
 */
export function demoFiles(seed: number): { files: Record<string, Uint8Array>; model: DemoModel } {
  const model = generateModel(seed);
  const enc = new TextEncoder();
  const messy = messyCsv(
    model.rows.slice(MESSY_SOURCE_ROW),
    makeRng(seed, 'messy'),
    `Built from 494 consecutive calls of calls.parquet starting at row ${MESSY_SOURCE_ROW + 1}.`,
  );
  const truth = { ...model.truth, messyCsv: messy.truth };
  const files: Record<string, Uint8Array> = {
    'README.md': enc.encode(demoReadme(model)),
    'config.json': enc.encode(`${JSON.stringify(demoConfig(model), null, 2)}\n`),
    'truth.json': enc.encode(`${JSON.stringify(truth, null, 2)}\n`),
    'areas.geojson': enc.encode(areasGeoJson(model)),
    'calls.parquet': callsParquet(model.rows, {
      synthetic: 'true',
      dataset: 'Demo city (synthetic)',
      seed: String(seed),
      generator: 'callsight scripts/make-demo-data.ts',
      time_zone: model.truth.timeZone,
    }),
    'calls-sample.csv': enc.encode(callsCsv(model.rows.slice(0, SAMPLE_ROWS))),
    'calls-messy.csv': enc.encode(messy.text),
  };
  for (const [name, text] of Object.entries(gtfsFiles(model.transit, model.truth.timeZone))) files[`gtfs/${name}`] = enc.encode(text);
  return { files, model };
}
