import type { CallRow } from './calls';
import { type Cell, csvCell } from './csv';
import { CALL_COLUMNS, type CallColumn, exportValues } from './parquet';
import type { Rng } from './rng';
import { formatLocal } from './time';

const TIMESTAMP_COLUMNS: ReadonlySet<CallColumn> = new Set(['call_received', 'dispatched', 'on_scene', 'cleared']);

/** A row as CSV cells: timestamps in the export's 'YYYY-MM-DD HH:MM:SS', nulls empty. */
export function csvCells(r: CallRow): Cell[] {
  const v = exportValues(r);
  return CALL_COLUMNS.map((c) => {
    const x = v[c];
    if (x === null) return null;
    return TIMESTAMP_COLUMNS.has(c) ? formatLocal(x as number) : x;
  });
}

export function callsCsv(rows: readonly CallRow[]): string {
  return `${[CALL_COLUMNS.join(','), ...rows.map((r) => csvCells(r).map(csvCell).join(','))].join('\n')}\n`;
}

export const HTML_PAYLOAD = '<img src=x onerror=alert(1)>';
export const FORMULA_PAYLOAD = '=HYPERLINK("http://example.invalid/case","Click for case file")';
const BAD_DATES = ['2026-02-30 10:15:00', '13/45/2026 25:00', 'not recorded', '', '2026-08-32 08:00:00', '0000-00-00 00:00:00'];

type DefectKind =
  | 'badDate'
  | 'blankCoordinates'
  | 'swappedLatLon'
  | 'zeroCoordinates'
  | 'latitudeOutOfRange'
  | 'arrivalBeforeReceived'
  | 'nonStandardFlag'
  | 'htmlInCallType'
  | 'formulaInAddress'
  | 'embeddedNewlineInAddress'
  | 'quotedCommaInCallType'
  | 'tooManyFields'
  | 'tooFewFields'
  | 'exactDuplicate';

const PLAN: [DefectKind, number][] = [
  ['badDate', BAD_DATES.length],
  ['blankCoordinates', 12],
  ['swappedLatLon', 8],
  ['zeroCoordinates', 4],
  ['latitudeOutOfRange', 2],
  ['arrivalBeforeReceived', 3],
  ['nonStandardFlag', 3],
  ['htmlInCallType', 1],
  ['formulaInAddress', 1],
  ['embeddedNewlineInAddress', 1],
  ['quotedCommaInCallType', 1],
  ['tooManyFields', 1],
  ['tooFewFields', 1],
];
const DUPLICATES = 6;

export interface MessyTruth {
  file: string;
  records: number;
  header: true;
  lineEnding: 'LF';
  /** per defect kind: the 1-based physical line where each affected record starts (header = line 1) */
  defects: Record<DefectKind, { count: number; lines: number[]; incidentNumbers: string[] }>;
  notes: string;
}

const col = (c: CallColumn) => CALL_COLUMNS.indexOf(c);

/**
 * A ~500-row export with the defects a quality report must catch. Every defect hits a
 * different record and is recorded with its line, so tests can check each one is found.
 */
export function messyCsv(source: readonly CallRow[], rng: Rng, provenance: string): { text: string; truth: MessyTruth } {
  const seen = new Set<string>();
  const clean = source.filter((r) => !seen.has(r.incidentNumber) && seen.add(r.incidentNumber));
  const base = clean.slice(0, 500 - DUPLICATES).map((r) => ({ r, cells: csvCells(r), kind: null as DefectKind | null }));
  // Unmapped calls from the export stay as they are (and are recorded); planted defects go elsewhere.
  for (const row of base) {
    if (row.r.lat === null) row.kind = 'blankCoordinates';
    else if (row.r.lat === 0) row.kind = 'zeroCoordinates';
  }
  const indices = rng.shuffle(base.flatMap((row, i) => (row.kind ? [] : [i])));
  let k = 0;
  for (const [kind, count] of PLAN) {
    for (let n = 0; n < count; n++) {
      const row = base[indices[k++]!]!;
      row.kind = kind;
      const c = row.cells;
      if (kind === 'badDate') c[col('call_received')] = BAD_DATES[n]!;
      if (kind === 'blankCoordinates') c[col('latitude')] = c[col('longitude')] = '';
      if (kind === 'swappedLatLon') [c[col('latitude')], c[col('longitude')]] = [row.r.lon ?? 0, row.r.lat ?? 0];
      if (kind === 'zeroCoordinates') c[col('latitude')] = c[col('longitude')] = 0;
      if (kind === 'latitudeOutOfRange') c[col('latitude')] = (row.r.lat ?? 35.45) + 100;
      if (kind === 'arrivalBeforeReceived') c[col('on_scene')] = formatLocal(row.r.receivedMs - 7 * 60_000);
      if (kind === 'nonStandardFlag') c[col('officer_initiated')] = ['yes', 'n', 'TRUE'][n]!;
      if (kind === 'htmlInCallType') c[col('call_type')] = HTML_PAYLOAD;
      if (kind === 'formulaInAddress') c[col('block_address')] = FORMULA_PAYLOAD;
      if (kind === 'embeddedNewlineInAddress') c[col('block_address')] = `${row.r.blockAddress}\nRear building`;
      if (kind === 'quotedCommaInCallType') c[col('call_type')] = 'DISTURBANCE, "LOUD PARTY"';
      if (kind === 'tooManyFields') c.push('EXTRA');
      if (kind === 'tooFewFields') c.length = 12;
    }
  }
  // Exact duplicates come from clean rows, each written again right after its original.
  const dupOf = new Set(indices.slice(k, k + DUPLICATES));
  const lines: string[] = [CALL_COLUMNS.join(',')];
  let line = 2;
  const defects = Object.fromEntries(
    [...PLAN.map(([kind]) => kind), 'exactDuplicate' as const].map((kind) => [kind, { count: 0, lines: [] as number[], incidentNumbers: [] as string[] }]),
  ) as MessyTruth['defects'];
  const emit = (row: (typeof base)[number], kind: DefectKind | null) => {
    const text = row.cells.map(csvCell).join(',');
    if (kind) {
      defects[kind].count++;
      defects[kind].lines.push(line);
      defects[kind].incidentNumbers.push(row.r.incidentNumber);
    }
    lines.push(text);
    line += text.split('\n').length;
  };
  base.forEach((row, i) => {
    emit(row, row.kind);
    if (dupOf.has(i)) emit(row, 'exactDuplicate');
  });
  return {
    text: `${lines.join('\n')}\n`,
    truth: {
      file: 'calls-messy.csv',
      records: base.length + DUPLICATES,
      header: true,
      lineEnding: 'LF',
      defects,
      notes: `${provenance} Calls already unmapped in the Parquet file keep their blank or 0,0 coordinates and are counted with the planted ones. Lines are physical lines where a record starts; records after the embedded newline start one line later than their position suggests.`,
    },
  };
}
