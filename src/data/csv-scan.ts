/**
 * A record-boundary scanner for delimited text that follows DuckDB's CSV state machine
 * closely enough to say where each record starts: DuckDB has no line-number column, and its
 * reject `line` counts records (not physical lines), so `_source_line` is derived here.
 *
 * Rules mirrored from DuckDB 1.4 (checked against it in tests/unit/load-csv.test.ts):
 * - a physical line ends at `\n`, `\r\n` or a lone `\r` (mixed endings in one file are fine);
 * - a quote opens a quoted field only at the start of a field; mid-field it is literal;
 * - inside quotes, `escape quote` (or `quote quote` when escape = quote) is an escaped quote
 *   and newlines belong to the field;
 * - an empty line is skipped in a multi-column file but is a record (one NULL value) in a
 *   single-column file;
 * - with a comment character, a line starting with it is skipped, and an unquoted comment
 *   character ends the record's content at the end of that line.
 * The caller cross-checks the count against DuckDB and refuses to guess when they differ.
 */

export interface ScanDialect {
  delimiter: Uint8Array;
  /** -1 when the file has no quoting. */
  quote: number;
  escape: number;
  comment: number;
  header: boolean;
  skipRows: number;
}

export interface ScanResult {
  /** Byte offset (in the scanned buffer) where each data record starts, in file order. */
  recordStartByte: Uint32Array;
  /** 1-based physical line where each data record starts. */
  recordStartLine: Uint32Array;
  /**
   * DuckDB's `line` for each record in its reject table: it counts header, blank, skipped and
   * comment lines and records, but not newlines inside quotes. Rejects are matched on this,
   * because DuckDB 1.4's `line_byte_position` is off by one on LF files and ignores blank lines.
   */
  recordDuckLine: Uint32Array;
  records: number;
  headerFields: string[] | null;
  headerLine: number | null;
  blankLines: number;
  /** First few blank line numbers, for the warning text. */
  blankLineSample: number[];
  commentLines: number;
  skippedLines: number;
  physicalLines: number;
  /** Record that was still inside quotes at end of file (its start line), if any. */
  unterminatedQuoteLine: number | null;
}

const LF = 0x0a;
const CR = 0x0d;

export class CsvRecordScanner {
  private pos = 0;
  private line = 1;
  private starts = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  private duckLines = new Uint32Array(1024);
  private unit = 0;
  private count = 0;
  private header: string[] | null = null;
  private headerLine: number | null = null;
  private headerPending: boolean;
  private skipLeft: number;
  private blank = 0;
  private blankSample: number[] = [];
  private comments = 0;
  private skipped = 0;
  private unterminated: number | null = null;
  private singleColumn = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly dialect: ScanDialect,
  ) {
    this.headerPending = dialect.header;
    this.skipLeft = dialect.skipRows;
  }

  get bytesScanned(): number {
    return this.pos;
  }

  get recordsSoFar(): number {
    return this.count;
  }

  /** Scan whole records until at least `untilByte` (so callers can yield between slices). */
  scanUntil(untilByte: number): boolean {
    const n = this.bytes.length;
    while (this.pos < n && this.pos < untilByte) this.step();
    return this.pos >= n;
  }

  result(): ScanResult {
    this.scanUntil(Number.POSITIVE_INFINITY);
    return {
      recordStartByte: this.starts.subarray(0, this.count),
      recordStartLine: this.lines.subarray(0, this.count),
      recordDuckLine: this.duckLines.subarray(0, this.count),
      records: this.count,
      headerFields: this.header,
      headerLine: this.headerLine,
      blankLines: this.blank,
      blankLineSample: this.blankSample,
      commentLines: this.comments,
      skippedLines: this.skipped,
      physicalLines: this.physicalLines(),
      unterminatedQuoteLine: this.unterminated,
    };
  }

  private physicalLines(): number {
    const n = this.bytes.length;
    if (n === 0) return 0;
    const last = this.bytes[n - 1];
    // A final newline terminates the last line rather than opening a new, empty one.
    return last === LF || last === CR ? this.line - 1 : this.line;
  }

  /** Consume one newline sequence at pos (if any); returns true when one was consumed. */
  private newline(): boolean {
    const b = this.bytes[this.pos];
    if (b === LF) {
      this.pos++;
    } else if (b === CR) {
      this.pos += this.bytes[this.pos + 1] === LF ? 2 : 1;
    } else {
      return false;
    }
    this.line++;
    return true;
  }

  private skipToLineEnd(): void {
    const n = this.bytes.length;
    while (this.pos < n && !this.newline()) this.pos++;
  }

  /** One physical-line-level unit: a skipped line, a blank or comment line, or one record. */
  private step(): void {
    const bytes = this.bytes;
    const startLine = this.line;
    const startByte = this.pos;
    this.unit++;
    if (this.skipLeft > 0) {
      this.skipLeft--;
      this.skipped++;
      this.skipToLineEnd();
      return;
    }
    const first = bytes[this.pos];
    if (first === LF || first === CR) {
      if (this.singleColumn && !this.headerPending) {
        this.push(startByte, startLine);
      } else {
        this.blank++;
        if (this.blankSample.length < 5) this.blankSample.push(startLine);
      }
      this.newline();
      return;
    }
    if (first === this.dialect.comment) {
      this.comments++;
      this.skipToLineEnd();
      return;
    }
    const fields = this.readRecord(this.headerPending);
    if (this.headerPending) {
      this.headerPending = false;
      this.header = fields;
      this.headerLine = startLine;
      this.singleColumn = (fields?.length ?? 0) === 1;
      return;
    }
    if (this.count === 0 && !this.dialect.header) this.singleColumn = this.firstRecordFieldCount === 1;
    this.push(startByte, startLine);
  }

  private firstRecordFieldCount = 0;

  /** Read one record from pos through its terminating newline; optionally collect fields. */
  private readRecord(collect: boolean): string[] | null {
    const bytes = this.bytes;
    const n = bytes.length;
    const { quote, escape: esc, comment, delimiter } = this.dialect;
    const d0 = delimiter[0];
    const fields: string[] | null = collect ? [] : null;
    const recordLine = this.line;
    let fieldStart = this.pos;
    let fieldCount = 1;
    let atFieldStart = true;
    let quoted = false;
    let inQuote = false;
    const endField = (end: number) => {
      if (!fields) return;
      let raw = new TextDecoder().decode(bytes.subarray(fieldStart, end));
      if (quoted) {
        raw = raw.trim();
        const q = String.fromCharCode(quote);
        const e = String.fromCharCode(esc);
        if (raw.startsWith(q)) raw = raw.slice(1, raw.endsWith(q) && raw.length > 1 ? -1 : undefined);
        raw = raw.replaceAll(e + q, q);
        if (esc !== quote) raw = raw.replaceAll(e + e, e);
      }
      fields.push(raw);
    };
    while (this.pos < n) {
      const b = bytes[this.pos]!;
      if (inQuote) {
        if (b === esc && esc !== quote && (bytes[this.pos + 1] === quote || bytes[this.pos + 1] === esc)) {
          this.pos += 2;
        } else if (b === quote) {
          if (esc === quote && bytes[this.pos + 1] === quote) {
            this.pos += 2;
          } else {
            inQuote = false;
            this.pos++;
          }
        } else if (b === LF || b === CR) {
          this.newline();
        } else {
          this.pos++;
        }
        continue;
      }
      if (b === LF || b === CR) {
        endField(this.pos);
        this.newline();
        this.noteFieldCount(fieldCount);
        return fields;
      }
      if (b === d0 && this.matchesDelimiter()) {
        endField(this.pos);
        this.pos += delimiter.length;
        fieldStart = this.pos;
        fieldCount++;
        atFieldStart = true;
        quoted = false;
        continue;
      }
      if (atFieldStart && b === quote) {
        inQuote = true;
        quoted = true;
        atFieldStart = false;
        this.pos++;
        continue;
      }
      if (b === comment) {
        endField(this.pos);
        this.skipToLineEnd();
        this.noteFieldCount(fieldCount);
        return fields;
      }
      atFieldStart = false;
      this.pos++;
    }
    if (inQuote) this.unterminated = recordLine;
    endField(this.pos);
    this.noteFieldCount(fieldCount);
    return fields;
  }

  private noteFieldCount(k: number): void {
    if (this.count === 0 && this.firstRecordFieldCount === 0) this.firstRecordFieldCount = k;
  }

  private matchesDelimiter(): boolean {
    const d = this.dialect.delimiter;
    for (let k = 1; k < d.length; k++) if (this.bytes[this.pos + k] !== d[k]) return false;
    return true;
  }

  private push(startByte: number, startLine: number): void {
    if (this.count === this.starts.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.lines = grow(this.lines);
      this.duckLines = grow(this.duckLines);
    }
    this.starts[this.count] = startByte;
    this.lines[this.count] = startLine;
    this.duckLines[this.count] = this.unit;
    this.count++;
  }
}

/** Index of the entry equal to `value` in an ascending array, or -1. */
export function indexOfSorted(starts: Uint32Array, byte: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = starts[mid]!;
    if (v === byte) return mid;
    if (v < byte) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
