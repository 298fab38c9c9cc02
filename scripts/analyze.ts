/**
 * `npm run analyze -- <files...> [--areas f.geojson] [--stops stops.txt] [--preset nopd] [--json]`
 * Loads call logs through src/data (the same code the app runs, on the same DuckDB engine)
 * and prints the data-quality report. Exit codes: 0 ok, 1 the data could not be loaded,
 * 2 wrong usage.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openNodeDb } from '../src/data/db-node';
import { isImportError } from '../src/data/errors';
import { importDataset } from '../src/data/import-dataset';
import { populationOf } from '../src/state/triage-report';
import { loadAreas } from '../src/data/load-geo';
import { loadGtfs } from '../src/data/load-gtfs';
import { BUILT_IN_PRESETS, parsePreset } from '../src/data/presets';
import type { AreaFeature, ColumnMapping, QualityReport } from '../src/data/types';
import { ANALYZE_USAGE, type AnalyzeArgs, parseAnalyzeArgs } from './cli/args';
import { formatAnalyses } from './cli/analysis-report';
import { formatQualityReport, qualityJson } from './cli/report';
import { runAnalysisFlags } from './cli/run-analyses';
import { extractRotationFlags, formatRotation, ROTATION_USAGE, type RotationFlags, rotationJson, runRotation } from './cli/rotation-flags';
import { datasetAreas, extractTriageFlags, findDatasetConfig, formatTriage, resolveTierMap, TRIAGE_USAGE, type TriageFlags, triageJson } from './cli/triage-flags';

type NamedBytes = { name: string; bytes: Uint8Array };

async function readNamed(file: string): Promise<NamedBytes> {
  try {
    return { name: path.basename(file), bytes: new Uint8Array(await readFile(file)) };
  } catch (e) {
    throw new CliError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}. Check the path.`);
  }
}

class CliError extends Error {}

async function loadMapping(preset: string | undefined, columns?: string[]): Promise<ColumnMapping | undefined> {
  if (!preset) return undefined;
  const builtIn = BUILT_IN_PRESETS[preset.toLowerCase()];
  const json = builtIn ?? JSON.parse(new TextDecoder().decode((await readNamed(preset)).bytes));
  return parsePreset(json, columns);
}

/** --stops may name stops.txt or the GTFS folder; routes/trips/shapes beside it are used too. */
async function readGtfs(stopsPath: string): Promise<NamedBytes[]> {
  const dir = (await stat(stopsPath)).isDirectory() ? stopsPath : path.dirname(stopsPath);
  const names = (await readdir(dir)).filter((n) => /^(stops|routes|trips|shapes|stop_times)\.txt$/i.test(n));
  return Promise.all(names.map((n) => readNamed(path.join(dir, n))));
}

export async function analyze(
  args: AnalyzeArgs,
  triage: TriageFlags | null = null,
  rotation: RotationFlags | null = null,
): Promise<{ report: QualityReport; json: Record<string, unknown>; rotationText?: string; analysisText?: string }> {
  if (args.files.length === 0) throw new CliError('No call-log file given.');
  const files = await Promise.all(args.files.map(readNamed));
  let areas: AreaFeature[] | undefined;
  if (args.areas) areas = loadAreas(await readNamed(args.areas)).areas;
  // A dataset config beside the file (the demo's) supplies mapping, areas and tier map for triage.
  const config = triage || rotation || args.analysis ? await findDatasetConfig(args.files[0]!) : null;
  if (!areas && config) areas = await datasetAreas(config);
  const feed = args.stops ? loadGtfs(await readGtfs(args.stops)) : undefined;
  const stops = feed?.stops;
  const mapping = (await loadMapping(args.preset)) ?? config?.mapping;
  const db = await openNodeDb();
  try {
    const result = await importDataset(db, files, { ...(mapping ? { mapping } : {}), ...(areas ? { areas } : {}) });
    const json = qualityJson(result.report, { areas: areas?.length ?? 0, stops: stops?.length ?? 0 });
    if (triage) {
      const tierMap = await resolveTierMap(db, triage, { columns: result.report.files[0]?.columns ?? [], ...(args.preset ? { preset: args.preset } : {}), config });
      Object.assign(json, await triageJson(db, triage, tierMap, { ...(config?.centre ? { centre: config.centre } : {}), ...(areas ? { population: populationOf(areas) } : {}) }));
    }
    let analysisText: string | undefined;
    if (args.analysis) {
      // Analyst-facing problems (too few cells, bad exclusion file, no GTFS for --transit) are RangeErrors with a sentence.
      const out = await runAnalysisFlags(db, args.analysis, { ...(areas ? { areas } : {}), ...(feed ? { feed } : {}), readText: async (f) => new TextDecoder().decode((await readNamed(f)).bytes) }).catch((e: unknown) => {
        throw e instanceof RangeError ? new CliError(e.message) : e;
      });
      json.analysis = out;
      analysisText = formatAnalyses(out);
    }
    if (rotation) {
      const ctx = { callFile: args.files[0]!, columns: result.report.files[0]?.columns ?? [], ...(areas ? { areas } : {}), ...(args.stops ? { stopsPath: args.stops } : {}) };
      const out = await runRotation(db, rotation, ctx);
      Object.assign(json, rotationJson(out));
      return { report: result.report, json, rotationText: formatRotation(out), ...(analysisText ? { analysisText } : {}) };
    }
    return { report: result.report, json, ...(analysisText ? { analysisText } : {}) };
  } finally {
    await db.close();
  }
}

async function main(): Promise<number> {
  let args: AnalyzeArgs;
  let triage: TriageFlags | null;
  let rotation: RotationFlags | null;
  try {
    const rsplit = extractRotationFlags(process.argv.slice(2));
    rotation = rsplit.flags;
    const split = extractTriageFlags(rsplit.rest);
    triage = split.flags;
    args = parseAnalyzeArgs(split.rest);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${ANALYZE_USAGE}${TRIAGE_USAGE}${ROTATION_USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${ANALYZE_USAGE}\n${TRIAGE_USAGE}\n${ROTATION_USAGE}`);
    return 0;
  }
  try {
    const { report, json, rotationText, analysisText } = await analyze(args, triage, rotation);
    const text = args.json ? `${JSON.stringify(json)}\n` : formatQualityReport(report) + (triage ? formatTriage(json) : '') + (rotationText ?? '') + (analysisText ?? '');
    // Wait for the pipe to drain: process.exit right after a large write truncates the output.
    await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    return 0;
  } catch (e) {
    if (e instanceof CliError || isImportError(e)) {
      process.stderr.write(`callsight analyze: ${(e as Error).message}\n`);
      return e instanceof CliError && /No call-log/.test(e.message) ? 2 : 1;
    }
    throw e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then((code) => process.exit(code));
}
