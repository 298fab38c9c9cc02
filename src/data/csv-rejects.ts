import type { Db } from './db-types';
import { toRows } from './rows';
import { ident, sql } from './sql';

/** One rejected record as DuckDB reports it, several errors on one record merged. */
export interface DuckReject {
  /** Approximate byte offset of the record start (DuckDB 1.4 is off by one on LF files). */
  byte: number;
  /** DuckDB's own `line`: a record counter that ignores quoted newlines (kept for fallback). */
  duckLine: number;
  reason: string;
  raw: string;
}

const RAW_MAX_CHARS = 500;

/**
 * Read DuckDB's reject table for one scan. DuckDB writes one row per error, so a line with
 * two missing columns appears twice: group by DuckDB's record line number.
 */
export async function readRejects(db: Db, errorsTable: string, expectedColumns: number): Promise<DuckReject[]> {
  const rows = toRows(
    await db.query(sql`
      SELECT min(line_byte_position) AS byte, line, list(error_type ORDER BY byte_position) AS types,
             list(error_message ORDER BY byte_position) AS messages, first(csv_line) AS raw
      FROM ${ident(errorsTable)} GROUP BY line ORDER BY line`),
  );
  return rows.map((r) => {
    const types = (r.types as string[]) ?? [];
    const messages = (r.messages as string[]) ?? [];
    const raw = String(r.raw ?? '');
    return {
      byte: Number(r.byte),
      duckLine: Number(r.line),
      reason: humanReason(types, messages, expectedColumns),
      raw: raw.length > RAW_MAX_CHARS ? `${raw.slice(0, RAW_MAX_CHARS)}…` : raw,
    };
  });
}

function humanReason(types: string[], messages: string[], expected: number): string {
  const type = types[0] ?? '';
  const found = messages.map((m) => /Found:\s*(\d+)/.exec(m)?.[1]).filter(Boolean).map(Number);
  switch (type) {
    case 'MISSING COLUMNS':
      return `too few values: the header has ${expected} columns, this record has ${found.length ? Math.min(...found) : 'fewer'}`;
    case 'TOO MANY COLUMNS':
      return `too many values: the header has ${expected} columns, this record has ${found.length ? Math.max(...found) : 'more'} (an unquoted delimiter inside a value?)`;
    case 'UNQUOTED VALUE':
      return 'badly quoted value: text after a closing quote, or a quote that is never closed (it may swallow the following lines)';
    case 'LINE SIZE OVER MAXIMUM':
      return 'record is longer than the 2 MB line limit (often a quote that is never closed)';
    case 'INVALID ENCODING':
    case 'INVALID UNICODE':
      return 'contains bytes that are not valid UTF-8 (corrupt characters)';
    case 'CAST':
      return `value could not be read: ${messages[0] ?? ''}`;
    default:
      return `${type.toLowerCase() || 'unreadable record'}: ${messages[0] ?? ''}`.trim();
  }
}
