/**
 * results.json (merged by dataset size, so a --quick run keeps the last 1M/5M figures with
 * their own dates) and the README's Performance section, with each target as met / not met.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './cache';

export type Json = Record<string, unknown>;
export interface SizeResult extends Json {
  rows: number;
  date: string;
}
export interface Results extends Json {
  date: string;
  machine: Json;
  sizes: SizeResult[];
  targets?: Target[];
}
export interface Target {
  target: string;
  measured: string;
  met: boolean | null;
  note?: string;
}

export const RESULTS_PATH = path.join(REPO_ROOT, 'tests/bench/results.json');
export const README_SECTION_PATH = path.join(REPO_ROOT, 'tests/bench/README-performance.md');

export function mergeResults(next: Results): Results {
  const old = existsSync(RESULTS_PATH) ? (JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as Results) : null;
  const sizes = new Map<number, SizeResult>((old?.sizes ?? []).map((s) => [s.rows, s]));
  for (const s of next.sizes) sizes.set(s.rows, s);
  const merged: Results = { ...(old ?? {}), ...next, sizes: [...sizes.values()].sort((a, b) => a.rows - b.rows) };
  for (const key of ['startup', 'bundle', 'archive'] as const) if (next[key] === undefined && old?.[key] !== undefined) merged[key] = old[key];
  return merged;
}

const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), o);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const ms = (v: unknown) => (num(v) === null ? 'n/a' : `${Math.round(num(v)!).toLocaleString('en-US')} ms`);
const x = (v: unknown) => (num(v) === null ? 'n/a' : `${num(v)!.toFixed(1)}×`);
const mb = (v: unknown) => (num(v) === null ? 'n/a' : `${Math.round(num(v)! / 1e6).toLocaleString('en-US')} MB`);

export function evaluateTargets(r: Results): Target[] {
  const size = (rows: number) => r.sizes.find((s) => s.rows === rows);
  const s1m = size(1_000_000);
  const s5m = size(5_000_000);
  const largest = r.sizes[r.sizes.length - 1];
  const t: Target[] = [];
  const peak5 = num(get(s5m, 'memory', 'peakRendererBytes'));
  const ok5 = s5m ? get(s5m, 'browser', 'parquet', 'counts', 'input') === 5_000_000 && !get(s5m, 'crossFilter', 'error') : false;
  const cut = (v: unknown) => {
    const t = String(v)
      .replace(/^\w+ import did not finish \((?:Error: )?/, '')
      .replace(/\); app state .*$/, '')
      .replace(/calls\/year=\d{4}\/month=\d{1,2}\/[^,\s]+\.parquet(?:, calls\/year=\d{4}\/month=\d{1,2}\/[^,\s]+\.parquet)*/g, 'the month files')
      .replaceAll('|', '/');
    return t.length > 240 ? `${t.slice(0, 239)}…` : t;
  };
  const firstError = (get(s5m, 'errors') as string[] | undefined)?.[0];
  const months = get(s5m, 'browser', 'parquetAllMonths');
  const viaMonths = !months
    ? ''
    : get(months, 'failed')
      ? `; as ${String(get(months, 'months'))} months through the archive dialog it failed after ${ms(get(months, 'afterMs'))} (peak tab memory ${mb(get(months, 'peakRendererBytes'))}): ${cut(get(months, 'failed'))}`
      : get(months, 'error')
        ? `; as months through the archive dialog: ${cut(get(months, 'error'))}`
        : `; as ${String(get(months, 'months'))} months through the archive dialog it loaded in ${ms(get(months, 'loadToReadyMs'))} (peak tab memory ${mb(get(months, 'peakRendererBytes'))})`;
  t.push({
    target: '5M calls load in a tab; dashboard usable within 3 GB',
    measured: s5m ? `${ok5 ? 'loaded and cross-filtered' : `did not complete (${cut(firstError ?? 'no error recorded')})`}; peak tab memory ${mb(peak5)}${viaMonths}` : 'not run',
    met: s5m ? ok5 && peak5 !== null && peak5 <= 3e9 : null,
  });
  for (const [s, limit, label] of [[s1m, 100, '1M'], [s5m, 250, '5M']] as const) {
    const p95 = num(get(s, 'crossFilter', 'p95Ms'));
    t.push({ target: `cross-filter p95 ≤ ${limit} ms at ${label} calls`, measured: s ? `p95 ${ms(p95)} (p50 ${ms(get(s, 'crossFilter', 'p50Ms'))})` : 'not run', met: p95 === null ? null : p95 <= limit });
  }
  for (const s of [s1m, s5m].filter(Boolean)) {
    const ratio = num(get(s, 'viewSql', 'ratio'));
    t.push({ target: `view SQL at most 3× native DuckDB (${(s!.rows / 1e6).toFixed(0)}M)`, measured: `${x(ratio)} (tab ${ms(get(s, 'viewSql', 'browserMs'))} vs native ${ms(get(s, 'viewSql', 'nativeMs'))} over the same statements)`, met: ratio === null ? null : ratio <= 3 });
  }
  const ref = s1m ?? largest;
  for (const [fmt, limit] of [['parquet', 5], ['csv', 8]] as const) {
    const ratio = num(get(ref, 'loadRatio', fmt));
    t.push({ target: `${fmt === 'csv' ? 'CSV' : 'Parquet'} load within ${limit}× native (${ref ? `${ref.rows.toLocaleString('en-US')} calls` : 'n/a'})`, measured: `${x(ratio)} (tab ${ms(get(ref, 'browser', fmt, 'firstMapMs'))} to first map vs native ${ms(get(ref, 'native', fmt, 'totalMs'))})`, met: ratio === null ? null : ratio <= limit });
  }
  const a = get(s1m, 'analysis');
  const total = num(get(a, 'totalMs'));
  t.push({
    target: 'hot spots + clusters on 1M calls under 2 s, off the main thread',
    measured: s1m ? `${ms(total)} (SQL ${ms(num(get(a, 'cellQueryMs'))! + num(get(a, 'candidateQueryMs'))!)}, worker ${ms(num(get(a, 'hotspotsWorkerMs'))! + num(get(a, 'clustersWorkerMs'))!)}; longest main-thread frame gap ${ms(get(a, 'maxFrameGapMs'))})` : 'not run',
    met: total === null ? null : total < 2000,
  });
  const warm = num(get(r, 'startup', 'devWarm', 'firstMapMs'));
  t.push({
    target: 'first map on the demo data under 2 s after npm start (localhost)',
    measured: `dev server: cold ${ms(get(r, 'startup', 'devCold', 'firstMapMs'))}, reload ${ms(warm)}; production build (vite preview): ${ms(get(r, 'startup', 'previewCold', 'firstMapMs'))}, reload ${ms(get(r, 'startup', 'previewWarm', 'firstMapMs'))}`,
    met: warm === null ? null : warm < 2000,
  });
  const gz = num(get(r, 'bundle', 'initialJsGzipBytes'));
  t.push({ target: 'initial JS under 600 kB gzipped', measured: gz === null ? 'n/a' : `${(gz / 1000).toFixed(0)} kB gzipped (${(num(get(r, 'bundle', 'initialJsBytes'))! / 1000).toFixed(0)} kB raw)`, met: gz === null ? null : gz < 600_000 });
  return t;
}

export function performanceSection(r: Results): string {
  const m = r.machine;
  const lines: string[] = [
    '## Performance',
    '',
    `Measured by \`npm run bench\` (scripts/bench/) on ${String(get(m, 'cpu'))}, ${String(get(m, 'cores'))} cores, ${mb(get(m, 'memoryBytes'))} RAM; Node ${String(get(m, 'node'))}, ${String(get(m, 'chromium'))} (headless, SwiftShader WebGL), duckdb-wasm ${String(get(m, 'duckdbWasm'))}, native ${String(get(m, 'duckdbNative'))}. Raw figures: tests/bench/results.json. The machine is shared (load average at the start of the run: ${String(get(m, 'loadAverage'))}), so absolute times are noisy; every browser figure is also given as a ratio to native DuckDB measured in the same run on the same file or SQL.`,
    '',
    'Run it: `npm run bench` (100k, 1M and 5M calls, CSV and Parquet, plus start-up and bundle size); `npm run bench -- --quick` (100k on the dev server, under 3 minutes); `--sizes 1m --formats parquet` for one size and format; `--sizes none` for start-up and bundle only; `--skip-start`, `--skip-analysis`; `--server dev` to time the dataset sizes on the dev server instead of the production build (the default: `vite build` with the bench hooks, served by `vite preview`); `--archive` for the 20M-call archive (slow); `--report-only` to rewrite this section from results.json. The seeded datasets are cached under ~/.cache/callsight-bench (several GB).',
    '',
    '### Targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...(r.targets ?? []).map((t) => `| ${t.target} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'met' : '**not met**'} |`),
    '',
    '### By dataset size',
    '',
    '| calls | CSV → first map (× native) | Parquet → first map (× native) | cross-filter p50 / p95 | view SQL × native | hot spots + clusters | peak tab memory | date |',
    '|---|---|---|---|---|---|---|---|',
    ...r.sizes.map(
      (s) =>
        `| ${s.rows.toLocaleString('en-US')} | ${ms(get(s, 'browser', 'csv', 'firstMapMs'))} (${x(get(s, 'loadRatio', 'csv'))}) | ${ms(get(s, 'browser', 'parquet', 'firstMapMs'))} (${x(get(s, 'loadRatio', 'parquet'))}) | ${ms(get(s, 'crossFilter', 'p50Ms'))} / ${ms(get(s, 'crossFilter', 'p95Ms'))} | ${x(get(s, 'viewSql', 'ratio'))} | ${ms(get(s, 'analysis', 'totalMs'))} | ${mb(get(s, 'memory', 'peakRendererBytes'))} | ${s.date.slice(0, 10)} |`,
    ),
    '',
  ];
  lines.push(...archiveLines(r.archive));
  const notes = r.notes;
  if (Array.isArray(notes)) lines.push('### What limits the remaining gap', '', ...notes.map((n) => `- ${String(n)}`), '');
  return `${lines.join('\n')}\n`;
}

/** The opt-in 20M archive run (`--archive`): prepare-archive, then the app loading a date range of it. */
export function archiveLines(a: unknown): string[] {
  if (!a || typeof a !== 'object') return [];
  const app = get(a, 'app');
  const s = (v: unknown) => (num(v) === null ? 'n/a' : `${(num(v)! / 1000).toFixed(1)} s`);
  const count = (v: unknown) => (num(v) === null ? 'n/a' : num(v)!.toLocaleString('en-US'));
  const out = [
    '### Archive: prepare-archive and a date range in the tab',
    '',
    '| step | figure |',
    '|---|---|',
    `| archive | ${count(get(a, 'rows'))} calls over ${count(get(a, 'partitions'))} months (${String(get(a, 'span', 'start'))} to ${String(get(a, 'span', 'end'))}), ${mb(get(a, 'inputCsvBytes'))} of CSV in |`,
    `| prepare (native DuckDB, memory_limit ${String(get(a, 'memoryLimit'))}, ${String(get(a, 'threads'))} threads) | ${s(get(a, 'timingsMs', 'total'))} in all (${count(get(a, 'rowsPerSecond'))} rows/s): partitions ${s(get(a, 'timingsMs', 'partition'))}, cubes ${s(get(a, 'timingsMs', 'cubes'))}; ${mb(get(a, 'outBytes'))} of Parquet out |`,
  ];
  if (get(app, 'error')) out.push(`| app: load a date range | did not finish: ${String(get(app, 'error')).replaceAll('|', '/')} |`);
  else if (app) {
    out.push(
      `| app: folder chosen → months listed | ${ms(get(app, 'folderToDialogMs'))} (only manifest.json read) |`,
      `| app: default range ${String(get(app, 'range', 'from'))} to ${String(get(app, 'range', 'to'))} (${count(get(app, 'months'))} of ${count(get(app, 'monthsInArchive'))} months) | ${count(get(app, 'manifestRows'))} calls, ${mb(get(app, 'parquetBytesRead'))} of Parquet read; load → map and views ${ms(get(app, 'loadToReadyMs'))} (${count(get(app, 'callsPerSecond'))} calls/s); peak tab memory ${mb(get(app, 'peakRendererBytes'))}; rows accounted exactly: ${get(app, 'accountingExact') === true ? 'yes' : 'no'} |`,
    );
  }
  out.push('');
  return out;
}

export function writeResults(r: Results): void {
  const merged = mergeResults(r);
  merged.targets = evaluateTargets(merged);
  writeFileSync(RESULTS_PATH, `${JSON.stringify(merged, null, 2)}\n`);
  const section = performanceSection(merged);
  writeFileSync(README_SECTION_PATH, section);
  // The lead merges the section into README.md; if a Performance heading already exists, replace just that section.
  const readme = path.join(REPO_ROOT, 'README.md');
  if (existsSync(readme)) {
    const text = readFileSync(readme, 'utf8');
    const start = text.search(/^## Performance\s*$/m);
    if (start >= 0) {
      const rest = text.slice(start + 1);
      const next = rest.search(/^## /m);
      const end = next >= 0 ? start + 1 + next : text.length;
      writeFileSync(readme, text.slice(0, start) + section + (next >= 0 ? '\n' : '') + text.slice(end));
    }
  }
}
