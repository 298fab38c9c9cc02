import { describe, expect, it } from 'vitest';
import { exportMapping, matchPreset, parsePreset } from '../../src/data/presets';
import nopd from '../../src/data/presets/nopd.json';

const OPEN_DATA = ['NOPD_Item', 'Type', 'TypeText', 'Priority', 'InitialType', 'InitialTypeText', 'InitialPriority', 'MapX', 'MapY', 'TimeCreate', 'TimeDispatch', 'TimeArrive', 'TimeClosed', 'Disposition', 'DispositionText', 'SelfInitiated', 'Beat', 'BLOCK_ADDRESS', 'Zip', 'PoliceDistrict', 'Location'];
const RTCC = ['item_number', 'Signal Code', 'Upon Researching the above item :', ...OPEN_DATA.filter((c) => c !== 'NOPD_Item')];

describe('mapping presets', () => {
  it('matches the NOPD preset for both the open-data export and the RTCC subset, picking the id column present', () => {
    expect(matchPreset(OPEN_DATA)?.mapping.columns.call_id).toBe('NOPD_Item');
    const m = matchPreset(RTCC);
    expect(m?.name).toBe('nopd');
    expect(m?.mapping.columns.call_id).toBe('item_number');
    expect(m?.mapping.location).toEqual({ kind: 'wkt', column: 'Location' });
    expect(m?.mapping.timeZone).toBe('America/Chicago');
    expect(matchPreset(['id', 'created', 'lat', 'lon'])).toBeNull();
  });

  it('round-trips an exported mapping', () => {
    const m = parsePreset(nopd, RTCC);
    expect(parsePreset(JSON.parse(exportMapping(m)))).toEqual(m);
  });

  it.each([
    ['a forbidden key', '{"columns":{"received_at":"t"},"__proto__":{"polluted":true}}', /forbidden key `__proto__`/],
    ['a nested forbidden key', '{"columns":{"received_at":"t","constructor":"x"}}', /forbidden key `constructor`/],
    ['an unknown top-level key', '{"columns":{"received_at":"t"},"script":"x"}', /unknown key `script`/],
    ['an unknown field', '{"columns":{"received_at":"t","salary":"x"}}', /unknown field `salary`/],
    ['a wrong type', '{"columns":{"received_at":42}}', /must be a non-empty text/],
    ['an oversized value', `{"columns":{"received_at":"${'x'.repeat(300)}"}}`, /longer than 256/],
    ['a missing received time', '{"columns":{"call_id":"id"}}', /received_at` is required/],
    ['a bad format', '{"columns":{"received_at":"t"},"timestampFormats":{"received_at":"%Q\'; DROP"}}', /not a supported date format/],
    ['a bad time zone', '{"columns":{"received_at":"t"},"timeZone":"Mars/Base"}', /not an IANA time zone/],
    ['a bad location kind', '{"columns":{"received_at":"t"},"location":{"kind":"h3"}}', /location.kind/],
    ['a bad CRS', '{"columns":{"received_at":"t"},"location":{"kind":"projected","x":"x","y":"y","crs":"http://evil"}}', /EPSG code/],
    ['not an object', '[1,2]', /top level must be an object/],
  ])('rejects %s with a message that says what to fix', (_what, json, message) => {
    expect(() => parsePreset(JSON.parse(json))).toThrow(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
