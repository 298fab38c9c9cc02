import { DataType, type Field, Float32, makeVector, Precision, Table, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';

/**
 * DuckDB-wasm rejects Arrow half floats ("Unsupported Internal Arrow Type e"), which Parquet
 * FLOAT16 columns decode to. Re-encode just those columns as 32-bit floats (exact: every
 * half-precision value, NaN included, is representable) and leave the others untouched.
 * The IPC bytes never leave this module, so the ESM apache-arrow copy is safe here.
 */
export function widenFloat16(ipcStream: Uint8Array): Uint8Array {
  const table = tableFromIPC(ipcStream);
  if (!table.schema.fields.some(isHalfFloat)) return ipcStream;
  const columns: Record<string, Vector> = {};
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name)!;
    columns[field.name] = isHalfFloat(field) ? toFloat32(column) : column;
  }
  return tableToIPC(new Table(columns), 'stream');
}

function toFloat32(column: Vector): Vector {
  const values = new Float32Array(column.length);
  const valid = new Uint8Array(Math.ceil(column.length / 8));
  let nulls = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column.get(i) as number | null;
    if (v === null) nulls++;
    else {
      values[i] = v;
      valid[i >> 3]! |= 1 << (i & 7);
    }
  }
  return makeVector({ type: new Float32(), data: values, length: column.length, nullCount: nulls, nullBitmap: valid });
}

/** Arrow JS gives all floats one type id; the precision tells half floats apart. */
export function isHalfFloat(field: Field): boolean {
  return DataType.isFloat(field.type) && field.type.precision === Precision.HALF;
}
