import { detectTimestampFormat, type TimestampDetection } from './timestamp-formats';

/** What a sample of one column looks like; the evidence `detectMapping` reasons from. */
export interface ColumnProfile {
  name: string;
  /** lower-case letters and digits only: `BLOCK_ADDRESS`, `Block Address` → `blockaddress` */
  key: string;
  nonEmpty: string[];
  distinctRatio: number;
  /** share of non-empty values that are plain numbers */
  numericRate: number;
  numbers: number[];
  /** share of numbers with a fractional part (coordinates have one, codes and ids do not) */
  fractionalRate: number;
  timestamp: TimestampDetection | null;
  wktRate: number;
  /** share of values like Y/N, yes/no, true/false, 1/0 */
  booleanRate: number;
  letterRate: number;
  /** mean length in characters of the distinct non-empty values (trimmed): codes are short, labels long */
  meanLength: number;
  /** share of distinct non-empty values with whitespace inside them (multi-word labels) */
  spaceRate: number;
}

export const WKT_POINT = /^\s*POINT\s*\(\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s*\)\s*$/i;
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
export const TRUE_WORDS = new Set(['Y', 'YES', 'TRUE', 'T', '1']);
const FALSE_WORDS = new Set(['N', 'NO', 'FALSE', 'F', '0']);
// Epoch numbers are only considered when the header says time, or any numeric id would qualify.
const TIME_NAME = /time|date|stamp|epoch|(^|[^a-z])ts$|created|received|dispatched|arrived|closed/i;

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function profileColumn(name: string, samples: readonly (string | null)[]): ColumnProfile {
  const nonEmpty = samples.filter((v): v is string => v != null && v.trim() !== '');
  const n = Math.max(1, nonEmpty.length);
  const numbers: number[] = [];
  let wkt = 0;
  let bool = 0;
  let letters = 0;
  for (const v of nonEmpty) {
    if (NUMBER.test(v)) numbers.push(Number(v));
    if (WKT_POINT.test(v)) wkt++;
    const u = v.trim().toUpperCase();
    if (TRUE_WORDS.has(u) || FALSE_WORDS.has(u)) bool++;
    if (/[A-Za-z]/.test(v)) letters++;
  }
  const distinct = [...new Set(nonEmpty.map((v) => v.trim()))];
  const looksTime = TIME_NAME.test(name);
  const timestamp = numbers.length / n > 0.9 && !looksTime ? null : detectTimestampFormat(nonEmpty, { allowEpoch: looksTime });
  return {
    name,
    key: normalizeName(name),
    nonEmpty,
    distinctRatio: new Set(nonEmpty).size / n,
    numericRate: numbers.length / n,
    numbers,
    fractionalRate: numbers.length ? numbers.filter((x) => !Number.isInteger(x)).length / numbers.length : 0,
    timestamp,
    wktRate: wkt / n,
    booleanRate: bool / n,
    letterRate: letters / n,
    // Over distinct values, so one frequent type does not decide what the column looks like.
    meanLength: distinct.reduce((a, v) => a + [...v].length, 0) / Math.max(1, distinct.length),
    spaceRate: distinct.filter((v) => /\s/.test(v)).length / Math.max(1, distinct.length),
  };
}

export function wktPoints(p: ColumnProfile): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const v of p.nonEmpty) {
    const m = WKT_POINT.exec(v);
    if (m) {
      xs.push(Number(m[1]));
      ys.push(Number(m[2]));
    }
  }
  return { xs, ys };
}
