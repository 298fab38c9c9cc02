import { parseArgs } from 'node:util';
import { ANALYSIS_OPTIONS, ANALYSIS_USAGE, type AnalysisFlags, analysisFromFlags } from './analysis-flags';

/** Flags shared by the CLIs. Parsed with node's own parser; unknown flags are errors. */
export interface AnalyzeArgs {
  files: string[];
  areas?: string;
  stops?: string;
  preset?: string;
  mapping?: string;
  json: boolean;
  help: boolean;
  /** present when any analysis flag (--hotspots, --clusters, …) is given */
  analysis?: AnalysisFlags;
}

export const ANALYZE_USAGE = `Usage: npm run analyze -- <calls.csv|calls.parquet ...> [options]

Loads call logs through the same code the app uses (DuckDB-wasm) and prints the data-quality report.

Options:
  --areas <file.geojson>   neighbourhood/district polygons; every call gets its area
  --stops <stops.txt|dir>  GTFS stops.txt (routes.txt, trips.txt, shapes.txt beside it are used too)
  --preset <name|file>     column-mapping preset (e.g. nopd) or a mapping JSON exported from the app
  --mapping <file.json>    same as --preset with a file
  --json                   one JSON object on stdout instead of the text report
  -h, --help               this text
${ANALYSIS_USAGE}`;

export function parseAnalyzeArgs(argv: string[]): AnalyzeArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      areas: { type: 'string' },
      stops: { type: 'string' },
      preset: { type: 'string' },
      mapping: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      ...ANALYSIS_OPTIONS,
    },
  });
  const analysis = analysisFromFlags(values);
  const anySelected = Object.values(analysis.selection).some(Boolean);
  return {
    files: positionals,
    areas: values.areas,
    stops: values.stops,
    preset: values.preset ?? values.mapping,
    json: values.json ?? false,
    help: values.help ?? false,
    ...(anySelected ? { analysis } : {}),
  };
}
