/**
 * Recognise files that are not delimited text before DuckDB sees them: a renamed .xlsx
 * or .zip would otherwise be "sniffed" into one garbage column and thousands of rejects.
 * Returns a description for the analyst, or null when the bytes may be CSV.
 */

interface Magic {
  bytes: number[];
  offset?: number;
  what: string;
  next: string;
}

const UNZIP = 'Unzip it and drop the CSV inside.';
const MAGICS: Magic[] = [
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file', next: 'Decompress it (e.g. with 7-Zip or `gunzip`) and drop the CSV inside.' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'a Zstandard-compressed file', next: 'Decompress it and drop the CSV inside.' },
  { bytes: [0x42, 0x5a, 0x68], what: 'a bzip2-compressed file', next: 'Decompress it and drop the CSV inside.' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz-compressed file', next: 'Decompress it and drop the CSV inside.' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive', next: UNZIP },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive', next: UNZIP },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file', next: 'Rename it to .parquet and drop it again; Callsight reads Parquet directly.' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document', next: 'Ask the records unit for the data as a CSV export; tables in PDFs cannot be imported.' },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: 'an old Excel (.xls) or other Office document',
    next: 'Open it in Excel or LibreOffice and save it as "CSV UTF-8".',
  },
  { bytes: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], what: 'an Arrow IPC file', next: 'Export it as CSV or Parquet.' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], what: 'an SQLite database', next: 'Export the calls table as CSV.' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image', next: 'Drop the CSV export of the call log instead.' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image', next: 'Drop the CSV export of the call log instead.' },
];

export interface NotCsv {
  what: string;
  next: string;
}

export function recogniseNonCsv(bytes: Uint8Array): NotCsv | null {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05 || bytes[2] === 0x07)) {
    // XLSX/ODS are ZIP containers; their first entry names give them away.
    const head = latin1(bytes.subarray(0, 4096));
    if (head.includes('xl/') || head.includes('[Content_Types].xml')) {
      return { what: 'an Excel workbook (.xlsx)', next: 'Open it in Excel or LibreOffice and save the sheet as "CSV UTF-8".' };
    }
    if (head.includes('opendocument.spreadsheet')) {
      return { what: 'an OpenDocument spreadsheet (.ods)', next: 'Open it in LibreOffice and save the sheet as CSV.' };
    }
    return { what: 'a ZIP archive', next: UNZIP };
  }
  for (const m of MAGICS) {
    const at = m.offset ?? 0;
    if (bytes.length >= at + m.bytes.length && m.bytes.every((b, i) => bytes[at + i] === b)) {
      return { what: m.what, next: m.next };
    }
  }
  return null;
}

/**
 * After decoding: text that is clearly not a table. NUL bytes or many control characters
 * mean binary data; a leading `{`/`[` or `<` means JSON or HTML/XML (a common mistake is an
 * error page saved from the records portal instead of the export).
 */
export function recogniseNonDelimitedText(utf8: Uint8Array): NotCsv | null {
  const sample = utf8.subarray(0, 65536);
  let nul = 0;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) nul++;
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  // Proportions, not presence: CAD exports do carry the odd stray NUL or form feed in a
  // free-text field, and those records are better rejected one by one than the whole file.
  if (sample.length > 0 && nul / sample.length > 0.005) {
    return { what: 'binary data (it contains NUL bytes), not text', next: 'Check that this is the CSV export and not another file type.' };
  }
  if (sample.length > 0 && control / sample.length > 0.05) {
    return { what: 'binary data (many control characters), not text', next: 'Check that this is the CSV export and not another file type.' };
  }
  const head = new TextDecoder().decode(utf8.subarray(0, 512)).trimStart();
  if (/^[{[]\s*["{[\]}]/.test(head) || /^\{\s*$/.test(head)) {
    return { what: 'JSON, not delimited text', next: 'Export the call log as CSV (GeoJSON boundaries go in the areas panel).' };
  }
  if (/^<(!doctype|html|\?xml|[a-z]+[\s>])/i.test(head)) {
    return { what: 'an HTML or XML document, not delimited text', next: 'It may be an error page saved by the browser; download the CSV export again.' };
  }
  return null;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
