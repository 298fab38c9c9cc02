/**
 * `npm run publish-briefing -- <calls files...> --out <dir> [options]`
 * Loads the call log through src/data (the app's own loaders and engine), builds the audited
 * briefing model and writes the static folder. Exit codes: 0 written, 1 refused or the data
 * could not be loaded, 2 wrong usage.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TierMap } from '../src/analysis/tiers';
import { openNodeDb } from '../src/data/db-node';
import { isImportError } from '../src/data/errors';
import { importDataset } from '../src/data/import-dataset';
import { loadAreas } from '../src/data/load-geo';
import { matchPreset } from '../src/data/presets';
import nopdTiers from '../src/data/presets/tiers-nopd.json';
import { parseTierMap } from '../src/data/tier-map';
import { tierMapFromConfig } from '../src/data/tier-map-config';
import type { AreaFeature, ColumnMapping } from '../src/data/types';
import { type BriefingOptions, buildBriefingModel, customPeriods, renderBriefing, totalBytes } from '../src/export/briefing';
import { BriefingRefused } from '../src/export/briefing/tables';
import { DEFAULT_SENSITIVE_CATEGORIES, parseSensitiveCategories, type SensitiveCategory } from '../src/export/sensitive-types';

export const USAGE = `Usage: npm run publish-briefing -- <calls.csv|calls.parquet ...> --out <dir> [options]

Writes a privacy-safe static briefing (index.html, data.js, assets/) from the call log.

Options:
  --out <dir>              folder to write (created if missing)
  --areas <file.geojson>   neighbourhood polygons (recommended: the map and area tables need them)
  --area-id <property>     area id property (default: detected)
  --area-name <property>   area name property (default: detected)
  --config <config.json>   dataset config (mapping, tier map, sensitive codes), e.g. data/demo/config.json
  --tier-map <file.json>   tier map (default: from --config, or the NOPD preset for NOPD files)
  --sensitive <file.json>  sensitive-category list (default: the built-in list)
  --k <n>                  small-count threshold (default 10)
  --current <from..to>     this period, YYYY-MM-DD..YYYY-MM-DD (end exclusive); needs --previous
  --previous <from..to>    the period to compare with
  --title <text>  --summary <text>  --paragraph <text> (repeatable)  --notes <text>
  --place <text>           name shown above the title
  --no-rotation            leave out the patrol summary
  -h, --help               this text
`;

export interface PublishArgs {
  files: string[];
  out: string;
  values: Record<string, string | string[] | boolean | undefined>;
}

export function parsePublishArgs(argv: string[]): PublishArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      areas: { type: 'string' },
      'area-id': { type: 'string' },
      'area-name': { type: 'string' },
      config: { type: 'string' },
      'tier-map': { type: 'string' },
      sensitive: { type: 'string' },
      k: { type: 'string' },
      current: { type: 'string' },
      previous: { type: 'string' },
      title: { type: 'string' },
      summary: { type: 'string' },
      paragraph: { type: 'string', multiple: true },
      notes: { type: 'string' },
      place: { type: 'string' },
      'no-rotation': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length === 0) throw new Error('No call-log file given.');
  if (!values.out) throw new Error('--out <dir> is required.');
  if (!!values.current !== !!values.previous) throw new Error('--current and --previous go together.');
  return { files: positionals, out: values.out, values };
}

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));
const range = (v: string, what: string) => {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(v);
  if (!m) throw new Error(`--${what} must look like 2026-07-01..2026-10-01 (got ${v}).`);
  return { start: m[1]!, end: m[2]! };
};

export async function publishBriefing(a: PublishArgs): Promise<{ out: string; bytes: number; files: string[]; suppressed: number }> {
  const v = a.values;
  const str = (key: string) => (typeof v[key] === 'string' ? (v[key] as string) : undefined);
  const config = str('config') ? await readJson(str('config')!) : null;
  let areas: AreaFeature[] = [];
  if (str('areas')) {
    const opts = { ...(str('area-id') ? { idProperty: str('area-id')! } : config?.files?.areaIdProperty ? { idProperty: config.files.areaIdProperty } : {}), ...(str('area-name') ? { nameProperty: str('area-name')! } : config?.files?.areaNameProperty ? { nameProperty: config.files.areaNameProperty } : {}) };
    areas = loadAreas({ name: path.basename(str('areas')!), bytes: new Uint8Array(await readFile(str('areas')!)) }, opts).areas;
  }
  const files = await Promise.all(a.files.map(async (f) => ({ name: path.basename(f), bytes: new Uint8Array(await readFile(f)) })));
  let categories: SensitiveCategory[] = str('sensitive') ? parseSensitiveCategories(await readJson(str('sensitive')!)) : [...DEFAULT_SENSITIVE_CATEGORIES];
  if (Array.isArray(config?.sensitiveTypes) && config.sensitiveTypes.length > 0) {
    categories = [...categories, ...parseSensitiveCategories([{ id: 'dataset', label: 'Listed as sensitive in the dataset settings', codes: config.sensitiveTypes }])];
  }
  const db = await openNodeDb();
  try {
    const mapping = config?.expectedMapping as ColumnMapping | undefined;
    const imp = await importDataset(db, files, { ...(mapping ? { mapping } : {}), ...(areas.length ? { areas } : {}) });
    let tierMap: TierMap;
    if (str('tier-map')) tierMap = parseTierMap(await readJson(str('tier-map')!), str('tier-map'));
    else if (config?.tierMap) tierMap = tierMapFromConfig(config.tierMap, str('config')).map;
    else if (matchPreset(imp.report.files[0]?.columns ?? [])?.name === 'nopd') tierMap = parseTierMap(nopdTiers, 'tiers-nopd.json');
    else tierMap = { version: 1, rules: [], default: null };
    const o: BriefingOptions = {
      narrative: { title: str('title') ?? 'Calls for service: quarterly briefing', summary: str('summary') ?? '', paragraphs: (v.paragraph as string[] | undefined) ?? [], notes: str('notes') ?? '' },
      areas,
      tierMap,
      quality: imp.report,
      categories,
      place: str('place') ?? config?.name ?? '',
      rotation: v['no-rotation'] ? null : 'auto',
      ...(str('k') ? { k: Number(str('k')) } : {}),
      ...(str('current') ? { periods: customPeriods(range(str('current')!, 'current'), range(str('previous')!, 'previous')) } : {}),
    };
    const model = await buildBriefingModel(db, o);
    const out = renderBriefing(model);
    for (const [rel, bytes] of Object.entries(out)) {
      const target = path.join(a.out, rel);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    return { out: a.out, bytes: totalBytes(out), files: Object.keys(out), suppressed: model.disclosure.primary + model.disclosure.secondary };
  } finally {
    await db.close();
  }
}

async function main(): Promise<number> {
  let args: PublishArgs | 'help';
  try {
    args = parsePublishArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const r = await publishBriefing(args);
    process.stdout.write(`Briefing written to ${r.out}: ${r.files.length} files, ${r.bytes.toLocaleString('en-US')} bytes, ${r.suppressed} values hidden.\n`);
    return 0;
  } catch (e) {
    if (e instanceof BriefingRefused || isImportError(e) || e instanceof RangeError) {
      process.stderr.write(`callsight publish-briefing: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code));
}
