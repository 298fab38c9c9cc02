import type { Feature } from 'geojson';

/**
 * Which property names the areas, and which identifies them. GIS exports carry several id
 * and measure columns (OBJECTID, Shape_Area, …) and one human label whose name varies by
 * city (GNOCDC_LAB in New Orleans, NAME, DISTRICT, BEAT): we want the label.
 */
const NAME_HINT = /name|lab(el)?$|^lab|nbhd|neigh|district|beat|zone|ward|area_?nm/i;
const ID_HINT = /(^|_)id$|^id|objectid|code|num(ber)?$|^fid$/i;

export function pickNameProperty(props: Record<string, unknown>[]): string | null {
  const candidates = uniqueTextKeys(props).filter((k) => props.some((p) => /[A-Za-z]/.test(String(p[k]))));
  if (candidates.length === 0) return null;
  const score = (k: string) => (NAME_HINT.test(k) ? 1000 : 0) - (ID_HINT.test(k) ? 500 : 0) + avgLetters(props, k);
  return candidates.sort((a, b) => score(b) - score(a))[0]!;
}

/** 'id' means the Feature's own id member, which GeoJSON puts outside `properties`. */
export function pickIdProperty(features: Feature[], nameProperty: string | null): string | null {
  const ids = features.map((f) => f.id);
  if (ids.every((id) => id !== undefined && id !== null && id !== '') && new Set(ids).size === ids.length) return 'id';
  const props = features.map((f) => f.properties ?? {});
  const unique = uniqueKeys(props).filter((k) => k !== nameProperty);
  return unique.find((k) => ID_HINT.test(k)) ?? nameProperty ?? null;
}

function uniqueKeys(props: Record<string, unknown>[]): string[] {
  const keys = Object.keys(props[0] ?? {});
  return keys.filter((k) => {
    const values = props.map((p) => p[k]);
    if (values.some((v) => (typeof v !== 'string' && typeof v !== 'number') || v === '')) return false;
    return new Set(values.map(String)).size === values.length;
  });
}

function uniqueTextKeys(props: Record<string, unknown>[]): string[] {
  return uniqueKeys(props).filter((k) => props.every((p) => typeof p[k] === 'string'));
}

function avgLetters(props: Record<string, unknown>[], key: string): number {
  const letters = props.reduce((n, p) => n + (String(p[key]).match(/[A-Za-z]/g)?.length ?? 0), 0);
  return letters / Math.max(1, props.length);
}
