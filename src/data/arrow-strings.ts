import type { Table } from 'apache-arrow';

/**
 * A VARCHAR result column as JS strings, decoded per Arrow chunk in ONE TextDecoder call.
 * Vector.get(i) decodes each value on its own: on 116k candidate calls × 4 string columns
 * that took seconds on the main thread (the map froze while the clusters were fetched).
 * When a chunk is pure ASCII (its decoded length equals its byte length, the usual case
 * for ids, codes and block addresses) each value is a substring of that one decode;
 * otherwise the chunk falls back to decoding value by value, so the text is always exact.
 */
const decoder = new TextDecoder();

interface Utf8Chunk {
  length: number;
  offset: number;
  valueOffsets?: Int32Array;
  values?: Uint8Array;
  nullBitmap?: Uint8Array;
  nullCount: number;
  typeId: number;
}

// apache-arrow Type.Utf8; LargeUtf8 (64-bit offsets) and dictionaries take the slow path
const UTF8 = 5;

export function stringColumn(table: Table, name: string): (string | null)[] {
  const vector = table.getChild(name);
  const out: (string | null)[] = new Array(table.numRows);
  if (!vector) return out.fill(null);
  let k = 0;
  for (const chunk of vector.data as unknown as Utf8Chunk[]) {
    const { length, offset, valueOffsets, values } = chunk;
    if (chunk.typeId !== UTF8 || !valueOffsets || !values) {
      for (let i = 0; i < length; i++) {
        const s = vector.get(k);
        out[k++] = s == null ? null : String(s);
      }
      continue;
    }
    const first = valueOffsets[offset]!;
    const last = valueOffsets[offset + length]!;
    const bytes = values.subarray(first, last);
    const text = decoder.decode(bytes);
    const ascii = text.length === bytes.length;
    const valid = chunk.nullCount > 0 ? chunk.nullBitmap : undefined;
    for (let i = 0; i < length; i++) {
      const j = offset + i;
      if (valid && !((valid[j >> 3]! >> (j & 7)) & 1)) {
        out[k++] = null;
        continue;
      }
      const a = valueOffsets[j]!;
      const b = valueOffsets[j + 1]!;
      out[k++] = ascii ? text.slice(a - first, b - first) : decoder.decode(values.subarray(a, b));
    }
  }
  return out;
}
