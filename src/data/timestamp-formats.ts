import type { TimestampFormat } from './types';
import { type Sql, sql } from './sql';

/**
 * Timestamp formats seen in CAD / records-system exports, as DuckDB strptime patterns.
 * DuckDB's strptime accepts non-padded fields (`1/5/2022 7:03` parses with
 * `%m/%d/%Y %H:%M`, checked on duckdb-wasm 1.32) and rejects impossible dates (2/30), so
 * one pattern covers padded and unpadded exports. The JS matcher below mirrors that so
 * detection (pure, on samples) agrees with what the SQL later parses.
 */
export interface TimestampCandidate {
  format: TimestampFormat;
  /** How analysts write it, used in messages ("not a date in format M/D/YYYY H:MM"). */
  label: string;
}

export const TIMESTAMP_CANDIDATES: readonly TimestampCandidate[] = [
  { format: 'iso', label: 'YYYY-MM-DD HH:MM:SS (ISO 8601)' },
  { format: '%m/%d/%Y %H:%M:%S', label: 'M/D/YYYY H:MM:SS' },
  { format: '%m/%d/%Y %H:%M', label: 'M/D/YYYY H:MM' },
  { format: '%m/%d/%Y %I:%M:%S %p', label: 'M/D/YYYY h:mm:ss AM/PM' },
  { format: '%m/%d/%Y %I:%M %p', label: 'M/D/YYYY h:mm AM/PM' },
  { format: '%m/%d/%y %H:%M', label: 'M/D/YY H:MM' },
  { format: '%m/%d/%y %I:%M %p', label: 'M/D/YY h:mm AM/PM' },
  { format: '%m/%d/%Y', label: 'M/D/YYYY (date only)' },
  { format: '%d/%m/%Y %H:%M:%S', label: 'D/M/YYYY H:MM:SS' },
  { format: '%d/%m/%Y %H:%M', label: 'D/M/YYYY H:MM' },
  { format: '%d/%m/%Y %I:%M:%S %p', label: 'D/M/YYYY h:mm:ss AM/PM' },
  { format: '%d/%m/%Y %I:%M %p', label: 'D/M/YYYY h:mm AM/PM' },
  { format: '%d/%m/%Y', label: 'D/M/YYYY (date only)' },
  { format: '%d.%m.%Y %H:%M:%S', label: 'D.M.YYYY H:MM:SS' },
  { format: '%d.%m.%Y %H:%M', label: 'D.M.YYYY H:MM' },
  { format: '%Y/%m/%d %H:%M:%S', label: 'YYYY/MM/DD HH:MM:SS' },
  { format: '%Y/%m/%d %H:%M', label: 'YYYY/MM/DD HH:MM' },
  { format: '%Y%m%d%H%M%S', label: 'YYYYMMDDHHMMSS' },
  { format: 'epoch-s', label: 'Unix epoch seconds' },
  { format: 'epoch-ms', label: 'Unix epoch milliseconds' },
];

export function formatLabel(format: TimestampFormat): string {
  return TIMESTAMP_CANDIDATES.find((c) => c.format === format)?.label ?? format;
}

// Epoch values are only believed between 1973 and 2096: wider ranges would claim numeric ids.
const EPOCH_S = { min: 1e8, max: 4e9 };
const ISO = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?\s*$/;

type Matcher = (text: string) => number | null;
const compiled = new Map<string, Matcher>();

/** Parse one value as DuckDB would with this format; epoch milliseconds (UTC wall clock) or null. */
export function parseTimestamp(text: string, format: TimestampFormat): number | null {
  let m = compiled.get(format);
  if (!m) {
    m = compile(format);
    compiled.set(format, m);
  }
  return m(text);
}

function compile(format: TimestampFormat): Matcher {
  if (format === 'iso') {
    return (t) => {
      const m = ISO.exec(t);
      if (!m) return null;
      return wallClock(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    };
  }
  if (format === 'epoch-s' || format === 'epoch-ms') {
    const scale = format === 'epoch-s' ? 1 : 1000;
    return (t) => {
      const s = t.trim();
      if (!/^\d+(\.\d+)?$/.test(s)) return null;
      const v = Number(s) / scale;
      return v >= EPOCH_S.min && v <= EPOCH_S.max ? Math.round(v * 1000) : null;
    };
  }
  const { source, fields } = patternOf(format);
  const rx = new RegExp(source);
  return (t) => {
    const m = rx.exec(t);
    if (!m) return null;
    let y = 0;
    let mo = 1;
    let d = 1;
    let h = 0;
    let mi = 0;
    let s = 0;
    let pm: boolean | null = null;
    fields.forEach((f, k) => {
      const v = m[k + 1]!;
      if (f === 'Y') y = +v;
      else if (f === 'y') y = 2000 + +v - (+v >= 69 ? 100 : 0);
      else if (f === 'm') mo = +v;
      else if (f === 'd') d = +v;
      else if (f === 'H' || f === 'I') h = +v;
      else if (f === 'M') mi = +v;
      else if (f === 'S') s = +v;
      else if (f === 'p') pm = v.toLowerCase() === 'pm';
    });
    if (pm !== null) {
      if (h < 1 || h > 12) return null;
      h = (h % 12) + (pm ? 12 : 0);
    }
    return wallClock(y, mo, d, h, mi, s);
  };
}

/**
 * The shape a value must have for `format`, as a regex both JS and DuckDB (RE2) accept. The
 * SQL applies it before strptime because DuckDB is laxer than the label promises: `%Y` takes
 * `22` as year 22 and a cast to TIMESTAMP takes `1/5/22`; we want those reported, not loaded.
 */
export function patternOf(format: TimestampFormat): { source: string; fields: string[] } {
  if (format === 'iso') return { source: ISO.source, fields: [] };
  const fields: string[] = [];
  // Compact formats (YYYYMMDDHHMMSS) have no separators, so fields need fixed widths.
  const compact = format.replace(/%./g, '') === '';
  let re = '^\\s*';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch === '%') {
      const f = format[++i]!;
      fields.push(f);
      re += f === 'Y' ? '(\\d{4})' : f === 'p' ? '([AaPp][Mm])' : f === 'y' || compact ? '(\\d{2})' : '(\\d{1,2})';
    } else if (ch === ' ') {
      re += '\\s+';
    } else {
      re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return { source: `${re}\\s*$`, fields };
}

function wallClock(y: number, mo: number, d: number, h: number, mi: number, s: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(ms).getUTCDate() === d ? ms : null;
}

export interface TimestampDetection {
  format: TimestampFormat;
  label: string;
  /** parsed / non-empty samples */
  parseRate: number;
  nonEmpty: number;
  /** true when another format (D/M vs M/D) parses the same samples just as well */
  ambiguousWith?: TimestampFormat;
  /** sample epoch-ms values, for ordering columns (received before closed) */
  medianMs: number | null;
}

/**
 * The format that parses the most sampled values. Earlier candidates win ties, so month-first
 * (US exports) is assumed when no day exceeds 12; the caller reports that ambiguity.
 */
export function detectTimestampFormat(
  samples: readonly (string | null)[],
  options: { allowEpoch?: boolean } = {},
): TimestampDetection | null {
  const values = samples.filter((v): v is string => v != null && v.trim() !== '');
  if (values.length === 0) return null;
  let best: { c: TimestampCandidate; n: number; parsed: number[] } | null = null;
  const ties: TimestampCandidate[] = [];
  for (const c of TIMESTAMP_CANDIDATES) {
    if (!options.allowEpoch && c.format.startsWith('epoch')) continue;
    const parsed: number[] = [];
    for (const v of values) {
      const ms = parseTimestamp(v, c.format);
      if (ms !== null) parsed.push(ms);
    }
    if (parsed.length === 0) continue;
    if (!best || parsed.length > best.n) {
      best = { c, n: parsed.length, parsed };
      ties.length = 0;
    } else if (parsed.length === best.n) {
      ties.push(c);
    }
  }
  if (!best) return null;
  const sorted = best.parsed.sort((a, b) => a - b);
  const swap = best.c.format.includes('%m/%d') ? best.c.format.replace('%m/%d', '%d/%m') : null;
  const ambiguous = swap ? ties.find((t) => t.format === swap) : undefined;
  return {
    format: best.c.format,
    label: best.c.label,
    parseRate: best.n / values.length,
    nonEmpty: values.length,
    ...(ambiguous ? { ambiguousWith: ambiguous.format } : {}),
    medianMs: sorted[Math.floor(sorted.length / 2)] ?? null,
  };
}

/**
 * SQL that parses one VARCHAR expression with `format`, NULL when it does not parse. The
 * strptime pattern travels as a prepared-statement parameter; epoch values outside 1973–2096
 * become NULL like unparseable text.
 */
export function timestampSql(value: Sql, format: TimestampFormat): Sql {
  if (format === 'iso') return sql`CASE WHEN regexp_matches(${value}, ${ISO.source}) THEN TRY_CAST(trim(${value}) AS TIMESTAMP) END`;
  if (format === 'epoch-s' || format === 'epoch-ms') {
    const perSecond = format === 'epoch-s' ? 1 : 1000;
    const seconds = sql`(TRY_CAST(trim(${value}) AS DOUBLE) / ${perSecond})`;
    return sql`CASE WHEN ${seconds} BETWEEN ${EPOCH_S.min} AND ${EPOCH_S.max} THEN make_timestamp(CAST(round(${seconds} * 1000000) AS BIGINT)) END`;
  }
  if (!/^(%[YymdHIMSpf]|[ /:.\-T,])+$/.test(format)) {
    throw new Error(`Unsupported timestamp format ${format}: use DuckDB strptime fields %Y %y %m %d %H %I %M %S %p %f.`);
  }
  return sql`CASE WHEN regexp_matches(${value}, ${patternOf(format).source}) THEN try_strptime(trim(${value}), ${format}) END`;
}
