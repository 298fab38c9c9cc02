import { ImportError } from './errors';
import type { ParquetWasm } from './parquet-wasm';

/**
 * What the Parquet footer promises, read before any page is decoded: the row count per row
 * group is the accounting oracle (loaded + rejected = input) and the uncompressed sizes let
 * us refuse decompression bombs before they exhaust the tab's wasm memory.
 */
export interface ParquetFooter {
  /** FileMetaData.num_rows; can disagree with the row groups (we trust the row groups). */
  fileRows: number;
  rowGroups: { rows: number; uncompressedBytes: number }[];
  createdBy: string | undefined;
}

const MAGIC = 'PAR1';
const ENCRYPTED_MAGIC = 'PARE';

export async function readParquetFooter(pw: ParquetWasm, name: string, bytes: Uint8Array): Promise<ParquetFooter> {
  checkMagic(name, bytes);
  let file: Awaited<ReturnType<ParquetWasm['ParquetFile']['fromFile']>> | undefined;
  try {
    file = await pw.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    const meta = file.metadata();
    const rowGroups = meta.rowGroups().map((rg) => {
      const uncompressedBytes = rg.columns().reduce((sum, c) => sum + c.uncompressedSize(), 0);
      return { rows: rg.numRows(), uncompressedBytes: Math.max(uncompressedBytes, rg.totalByteSize()) };
    });
    const fileMeta = meta.fileMetadata();
    return { fileRows: fileMeta.numRows(), rowGroups, createdBy: fileMeta.createdBy() };
  } catch (e) {
    throw footerError(name, e);
  } finally {
    file?.free();
  }
}

function checkMagic(name: string, bytes: Uint8Array): void {
  const head = ascii(bytes.subarray(0, 4));
  const tail = ascii(bytes.subarray(Math.max(0, bytes.length - 4)));
  if (head === ENCRYPTED_MAGIC || tail === ENCRYPTED_MAGIC) throw encryptedError(name);
  if (bytes.length < 12 || head !== MAGIC) {
    throw new ImportError(
      name,
      `is not a Parquet file (it does not start with the "PAR1" marker; ${bytes.length.toLocaleString('en-US')} bytes).`,
      'Check that you picked the right file, or load it as CSV if it is a text export.',
    );
  }
  if (tail !== MAGIC) {
    throw new ImportError(
      name,
      'is cut off: the Parquet footer at the end of the file is missing (the download or copy was probably interrupted).',
      'Copy or download the file again and re-import it.',
    );
  }
}

function encryptedError(name: string): ImportError {
  return new ImportError(
    name,
    'is an encrypted Parquet file; Callsight cannot read encrypted Parquet (no keys are ever handled in the browser).',
    'Ask the data owner for an unencrypted export (Parquet or CSV).',
  );
}

function footerError(name: string, e: unknown): ImportError {
  const detail = e instanceof Error ? e.message : String(e);
  if (/encrypt/i.test(detail)) return encryptedError(name);
  return new ImportError(
    name,
    `has a damaged or unreadable Parquet footer (the table of contents at the end of the file), so its columns and row counts cannot be read. The file may be corrupt, encrypted, or written with features this reader does not support (reader said: ${detail.replace(/^Error: /, '')}).`,
    'Re-export the file from the source system, or export it as CSV and load that instead.',
  );
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** Human sizes in analyst messages ("2.0 GB"). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
