import { describe, expect, it } from 'vitest';
import { columnsSignature, recallMapping, rememberMapping } from '../../src/state/remembered-mappings';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

const columns = ['Incident', 'Received', 'Kind', 'X', 'Y'];
const mapping = {
  columns: { call_id: 'Incident', received_at: 'Received', type_text: 'Kind' },
  location: { kind: 'lonlat' as const, lon: 'X', lat: 'Y' },
  timestampFormats: { received_at: '%m/%d/%Y %I:%M %p' },
  timeZone: 'America/Chicago',
};

describe('remembered mappings (validated localStorage)', () => {
  it('recalls the confirmed mapping for the same columns in any order', () => {
    const storage = memoryStorage();
    expect(recallMapping(columns, storage)).toBeNull();
    rememberMapping(columns, mapping, storage);
    expect(recallMapping([...columns].reverse(), storage)).toMatchObject(mapping);
    expect(columnsSignature(columns)).toBe(columnsSignature([...columns].reverse()));
    expect(columnsSignature(columns)).not.toBe(columnsSignature([...columns, 'Extra']));
    expect(recallMapping([...columns, 'Extra'], storage)).toBeNull();
  });

  it('drops an invalid stored entry instead of using it', () => {
    const storage = memoryStorage();
    rememberMapping(columns, mapping, storage);
    const key = [...storage.m.keys()][0]!;
    storage.m.set(key, JSON.stringify({ v: 1, data: [{ name: columnsSignature(columns), mapping: { columns: { __proto__: 'x' } } }] }));
    expect(recallMapping(columns, storage)).toBeNull();
  });
});
