import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { area } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { isImportError } from '../../src/data/errors';
import { loadAreas } from '../../src/data/load-geo';
import { corporaDir, skipReason } from '../engine';

/**
 * geojsonhint and antimeridian corpora through loadAreas. Every file either loads (with
 * warnings for anything fixed or skipped) or fails with an ImportError naming the file;
 * outcomes are snapshotted (REGEN=1 rewrites).
 */
const corpora = corporaDir();
const here = path.dirname(new URL(import.meta.url).pathname);
const snapshotPath = path.resolve(here, '../fixtures/corpora/geojson-outcomes.json');

interface Outcome {
  outcome: 'loaded' | 'rejected' | 'bug';
  areas?: number;
  km2?: number;
  warnings?: string[];
  message?: string;
}

function run(file: string): Outcome {
  try {
    const r = loadAreas({ name: path.basename(file), bytes: new Uint8Array(readFileSync(file)) });
    return { outcome: 'loaded', areas: r.areas.length, km2: Number(r.areas.reduce((s, a) => s + a.areaKm2, 0).toPrecision(6)), warnings: r.warnings };
  } catch (e) {
    if (isImportError(e)) return { outcome: 'rejected', message: e.message };
    return { outcome: 'bug', message: String(e) };
  }
}

const hasErrors = (result: { level?: string }[]) => result.some((r) => r.level === undefined || r.level === 'error');

describe.skipIf(!corpora)('GeoJSON corpora', () => {
  skipReason('shared corpora', corpora);
  const outcomes: Record<string, Outcome> = {};

  it('geojsonhint: bad files never load silently, good polygon files load cleanly', () => {
    const base = path.join(corpora!, 'geojsonhint');
    for (const kind of ['good', 'bad']) {
      for (const f of readdirSync(path.join(base, kind)).filter((n) => n.endsWith('.geojson')).sort()) {
        const o = run(path.join(base, kind, f));
        outcomes[`geojsonhint/${kind}/${f}`] = o;
        expect(o.outcome, `${f}: ${o.message}`).not.toBe('bug');
        if (o.outcome === 'rejected') expect(o.message!.startsWith(`${f}: `), f).toBe(true);
        const expected = kind === 'bad' ? JSON.parse(readFileSync(path.join(base, kind, f.replace(/\.geojson$/, '.result')), 'utf8')) : [];
        // geojsonhint found a problem: we must refuse the file or say what we skipped or fixed.
        if (expected.length > 0) expect(o.outcome === 'rejected' || (o.warnings?.length ?? 0) > 0, `${f} accepted without a word`).toBe(true);
        if (kind === 'bad' && expected.length > 0 && !hasErrors(expected) && /right-hand rule/.test(expected[0].message)) {
          expect(o.warnings?.join(' '), f).toMatch(/wrong direction/);
        }
      }
    }
    for (const f of ['good-polygon.geojson', 'multipolygon.geojson']) {
      expect(outcomes[`geojsonhint/good/${f}`]).toMatchObject({ outcome: 'loaded', areas: 1 });
      expect(outcomes[`geojsonhint/good/${f}`]!.warnings!.filter((w) => /skipped|wrong/.test(w))).toEqual([]);
    }
    expect(outcomes['geojsonhint/bad/bad-json.geojson']!.message).toMatch(/not valid JSON at line \d+, column \d+/);
  });

  it('antimeridian: inputs load with the area of the reference split, or are refused with a reason', () => {
    const base = path.join(corpora!, 'antimeridian', 'data');
    let compared = 0;
    for (const f of readdirSync(path.join(base, 'input')).sort()) {
      const o = run(path.join(base, 'input', f));
      outcomes[`antimeridian/input/${f}`] = o;
      expect(o.outcome, `${f}: ${o.message}`).not.toBe('bug');
      if (o.outcome === 'rejected') {
        expect(o.message, f).toMatch(/pole|not areas/);
        continue;
      }
      expect(o.areas, f).toBeGreaterThan(0);
      const expectedPath = path.join(base, 'output', 'flat', f);
      if (!existsSync(expectedPath)) continue;
      const expected = JSON.parse(readFileSync(realpathSync(expectedPath), 'utf8'));
      const expectedKm2 = area(expected) / 1e6;
      expect(o.km2! / expectedKm2, `${f}: ${o.km2} km² vs reference ${expectedKm2}`).toBeCloseTo(1, 3);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(17);
  });

  it('matches the recorded outcomes', () => {
    if (process.env.REGEN === '1' || !existsSync(snapshotPath)) writeFileSync(snapshotPath, `${JSON.stringify(outcomes, null, 2)}\n`);
    expect(outcomes).toEqual(JSON.parse(readFileSync(snapshotPath, 'utf8')));
  });
});
