/**
 * Decide how a dropped "CSV" is encoded and hand DuckDB UTF-8 bytes.
 *
 * DuckDB 1.4's wasm build knows only utf-8, utf-16 and latin-1 (the `encodings` extension
 * cannot load offline), and its latin-1 is ISO-8859-1, which turns Windows-1252 smart quotes
 * and the euro sign (0x80–0x9F) into control characters. Records-system exports on Windows
 * are 1252, so we transcode in JS with TextDecoder (WHATWG maps "latin1" to windows-1252 too)
 * and keep DuckDB on plain UTF-8, where its reject byte offsets stay meaningful.
 */

export type SourceEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface EncodingDecision {
  encoding: SourceEncoding;
  /** Bytes of byte-order mark at the start (removed before parsing). */
  bomBytes: number;
  /** Invalid UTF-8 sequences seen (only meaningful when encoding is utf-8). */
  invalidUtf8: number;
  /** Valid multi-byte UTF-8 sequences seen. */
  multibyteUtf8: number;
}

export function detectEncoding(bytes: Uint8Array): EncodingDecision {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const { invalid, multibyte } = countUtf8(bytes, 3);
    return { encoding: 'utf-8', bomBytes: 3, invalidUtf8: invalid, multibyteUtf8: multibyte };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { encoding: 'utf-16le', bomBytes: 2, invalidUtf8: 0, multibyteUtf8: 0 };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { encoding: 'utf-16be', bomBytes: 2, invalidUtf8: 0, multibyteUtf8: 0 };
  }
  const bomless = utf16WithoutBom(bytes);
  if (bomless) return { encoding: bomless, bomBytes: 0, invalidUtf8: 0, multibyteUtf8: 0 };
  const { invalid, multibyte } = countUtf8(bytes, 0);
  // A file with many valid multi-byte sequences and a few bad ones is UTF-8 with corrupt
  // bytes: re-decoding all of it as 1252 would mangle every good accent. When bad sequences
  // are as common as good ones (which also happen by chance in Shift-JIS or 1252 text),
  // it is not UTF-8, and the single-byte reading with a warning is the honest one.
  if (invalid > 0 && invalid >= multibyte) {
    return { encoding: 'windows-1252', bomBytes: 0, invalidUtf8: invalid, multibyteUtf8: 0 };
  }
  return { encoding: 'utf-8', bomBytes: 0, invalidUtf8: invalid, multibyteUtf8: multibyte };
}

/**
 * UTF-16 without a BOM (some Excel "Unicode text" exports): ASCII-heavy text then has a NUL
 * in every other byte. Require it on nearly all of a sample so binary data is not taken for it.
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul / pairs > 0.9 && evenNul / pairs < 0.05) return 'utf-16le';
  if (evenNul / pairs > 0.9 && oddNul / pairs < 0.05) return 'utf-16be';
  return null;
}

/** One linear pass, no allocation (a fatal TextDecoder would build a 2×-size string). */
export function countUtf8(bytes: Uint8Array, start: number): { invalid: number; multibyte: number } {
  let invalid = 0;
  let multibyte = 0;
  const n = bytes.length;
  let i = start;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let min = 0;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      invalid++;
      i++;
      continue;
    }
    let cp = b & (0x3f >> need);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlongs, UTF-16 surrogates and > U+10FFFF are invalid in UTF-8 (RFC 3629).
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      invalid++;
      i++;
      continue;
    }
    multibyte++;
    i += need + 1;
  }
  return { invalid, multibyte };
}

const CHUNK_BYTES = 1 << 20;

/** WHATWG windows-1252 for 0x80–0x9F (unassigned bytes map to the same code point). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Windows-1252 → UTF-8 by table, not TextDecoder: Node 20's TextDecoder('windows-1252')
 * decodes as ISO-8859-1 (0x93 becomes a control character instead of “), and the CLI and
 * tests must give the same text as the browser. Two passes: exact size, then fill.
 */
export function windows1252ToUtf8(bytes: Uint8Array): Uint8Array {
  let size = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    size += b < 0x80 ? 1 : b <= 0x9f && CP1252_HIGH[b - 0x80]! > 0x7ff ? 3 : 2;
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out[o++] = b;
      continue;
    }
    const cp = b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b;
    if (cp > 0x7ff) {
      out[o++] = 0xe0 | (cp >> 12);
      out[o++] = 0x80 | ((cp >> 6) & 0x3f);
      out[o++] = 0x80 | (cp & 0x3f);
    } else {
      out[o++] = 0xc0 | (cp >> 6);
      out[o++] = 0x80 | (cp & 0x3f);
    }
  }
  return out;
}

/**
 * Transcode to UTF-8 without building one giant string: UTF-16 is decoded 1 MB at a time
 * (streaming, so characters split across chunks survive) into one preallocated buffer.
 */
export function transcodeToUtf8(bytes: Uint8Array, encoding: Exclude<SourceEncoding, 'utf-8'>, bomBytes: number): Uint8Array {
  if (encoding === 'windows-1252') return windows1252ToUtf8(bytes.subarray(bomBytes));
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  const encoder = new TextEncoder();
  // A UTF-16 code unit (2 bytes) becomes at most 3 UTF-8 bytes.
  const out = new Uint8Array(Math.ceil((bytes.length - bomBytes) * 1.5) + 8);
  let written = 0;
  for (let start = bomBytes; start < bytes.length; start += CHUNK_BYTES) {
    const end = Math.min(bytes.length, start + CHUNK_BYTES);
    const text = decoder.decode(bytes.subarray(start, end), { stream: end < bytes.length });
    written += encoder.encodeInto(text, out.subarray(written)).written;
  }
  const tail = decoder.decode();
  if (tail) written += encoder.encodeInto(tail, out.subarray(written)).written;
  return out.subarray(0, written);
}
