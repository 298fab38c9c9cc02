import { type ColumnProfile, profileColumn, TRUE_WORDS, wktPoints } from './column-profile';
import { type Bbox, looksProjected, suggestCrs } from './coordinates';
import { chooseCodeText } from './detect-code-text';
import type { CanonicalColumn, ColumnMapping } from './types';

type SourceField = Exclude<CanonicalColumn, 'lon' | 'lat'>;
type TimeField = 'received_at' | 'dispatched_at' | 'arrived_at' | 'closed_at';
export type MappedField = SourceField | 'location';

export interface FieldConfidence {
  /** 0..1: 1 = header and contents agree, ~0.5 = guessed from contents or a weak header match */
  score: number;
  reason: string;
}

export interface MappingDetection {
  mapping: ColumnMapping;
  confidence: Partial<Record<MappedField, FieldConfidence>>;
  unmapped: string[];
  problems: string[];
}

export interface DetectOptions {
  /** bbox of the loaded areas: decides swapped lat/lon and which projected CRS fits */
  within?: Bbox;
  /** IANA zone of the wall-clock times; defaults to the browser's zone (the analyst's agency, usually) */
  timeZone?: string;
}

/** Header patterns: [normalized-name regex, score]. Generic vocabulary only, no city's names. */
const INITIAL = '(initial|init|orig|original|first)';
const NAME_RULES: Record<Exclude<SourceField, TimeField | 'call_id'>, [RegExp, number][]> = {
  initial_type_code: [[new RegExp(`^${INITIAL}(call)?(type|signal|nature|incidenttype|problem)(code|cd)?$`), 0.95]],
  initial_type_text: [[new RegExp(`^${INITIAL}(call)?(type|signal|nature|incidenttype|problem)(text|desc|description|name|label)$`), 0.95]],
  initial_priority: [[new RegExp(`^${INITIAL}(call)?(prio|priority|pri)(code|level)?$`), 0.95]],
  type_code: [
    [/^(final)?(call|incident|event|cad)?type(code|cd)?$/, 0.95],
    [/^(final)?(call)?(nature|signal|problem)(code|cd)?$/, 0.7],
    [/(type|nature)(code|cd)$/, 0.6],
  ],
  type_text: [
    [/^(final)?(call|incident|event|cad)?type(text|desc|description|name|label)$/, 0.95],
    [/^(final)?(call)?(nature|signal|problem)(text|desc|description)$/, 0.8],
    [/^(calldescription|description|offense|incidentdescription)$/, 0.6],
  ],
  priority: [
    [/^(final)?(call)?(priority|prio)(code|level)?$/, 0.95],
    [/^pri$/, 0.8],
  ],
  disposition: [
    [/^(final)?(disposition|dispo|disp)(code|cd)?$/, 0.95],
    [/^(clearance|clearancecode|outcome|result|closecode|closurecode|clearcode)$/, 0.8],
    [/^(disposition|dispo)(text|desc|description)$/, 0.7],
  ],
  self_initiated: [
    [/^(is)?(selfinitiated|selfinit|officerinitiated|fieldinitiated|oi)(flag|yn)?$/, 0.95],
    [/selfinit|officerinit|initiatedby/, 0.7],
  ],
  channel: [
    [/^(call)?(channel|source|origin|method|medium|howreceived|receivedvia|intake)(type)?$/, 0.9],
    [/channel|callsource/, 0.6],
  ],
  district: [
    [/^(police)?(district|precinct|division|dist)(code|number|no)?$/, 0.95],
    [/district|precinct/, 0.75],
  ],
  beat: [
    [/^(beat|post|reportingarea|rd|patrolarea|subzone|sector|zone)(code|number|no)?$/, 0.9],
    [/beat/, 0.75],
  ],
  block_address: [
    [/^(block|incident|street|call)?(address|addr|blockaddress|streetaddress|location|street)$/, 0.9],
    [/address|addr|block/, 0.7],
  ],
};

const ID_NAME: [RegExp, number][] = [
  [/^[a-z]*(item|incident|event|call|cad|cfs|case|record|report|master|ticket|run)(id|no|num|number|nbr|key)$/, 0.95],
  [/^(item|incident|event|call|cad|cfs|callid|id|key|uid)$/, 0.9],
  [/(id|no|num|number|nbr)$/, 0.6],
];

// Specific roles first: `received` is the broad fallback among timestamp headers.
const TIME_NAME: [TimeField, RegExp][] = [
  ['closed_at', /clos|clear|complet|finish|resolv|end(ed)?(time|date)?$/],
  ['arrived_at', /arriv|onscene|atscene/],
  ['dispatched_at', /dispatch|assign|sent|^disp/],
  ['received_at', /creat|receiv|report|call|open|entr|start|occur|incident|event|time|date/],
];

export function detectMapping(
  columns: string[],
  samples: Record<string, (string | null)[]>,
  options: DetectOptions = {},
): MappingDetection {
  const profiles = columns.filter((c) => !c.startsWith('_source_')).map((c) => profileColumn(c, samples[c] ?? []));
  const used = new Set<string>();
  const confidence: MappingDetection['confidence'] = {};
  const problems: string[] = [];
  const mapping: ColumnMapping = {
    columns: {},
    location: { kind: 'none' },
    timestampFormats: {},
    timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  const take = (field: SourceField, p: ColumnProfile, score: number, reason: string) => {
    mapping.columns[field] = p.name;
    used.add(p.name);
    confidence[field] = { score, reason };
  };

  detectTimes(profiles, take, mapping, problems);
  detectLocation(profiles, used, mapping, confidence, problems, options.within);
  detectId(profiles, used, take, problems);
  detectByName(profiles, used, take);

  if (!mapping.columns.type_text && mapping.columns.type_code) {
    mapping.columns.type_text = mapping.columns.type_code;
    confidence.type_text = { score: 0.5, reason: `No separate type label column; \`${mapping.columns.type_code}\` is used for both code and label.` };
  }
  const selfCol = profiles.find((p) => p.name === mapping.columns.self_initiated);
  if (selfCol) {
    const trues = [...new Set(selfCol.nonEmpty.map((v) => v.trim().toUpperCase()).filter((v) => TRUE_WORDS.has(v)))];
    mapping.selfInitiatedTrue = trues.length ? trues.sort() : ['Y', 'YES', 'TRUE', 'T', '1'];
  }
  if (!mapping.columns.type_code) problems.push('No call type column was recognised; choose one so calls can be grouped by type.');
  const unmapped = profiles.map((p) => p.name).filter((c) => !used.has(c));
  return { mapping, confidence, unmapped, problems };
}

type Take = (field: SourceField, p: ColumnProfile, score: number, reason: string) => void;

function detectTimes(profiles: ColumnProfile[], take: Take, mapping: ColumnMapping, problems: string[]): void {
  const times = profiles.filter((p) => p.timestamp && p.timestamp.parseRate >= 0.8);
  if (times.length === 0) {
    problems.push(
      `This file does not look like a call log: none of its ${profiles.length} columns holds dates or times. ` +
        'A call log needs at least the time each call was received; check that you chose the right file.',
    );
    return;
  }
  const assigned = new Map<TimeField, ColumnProfile>();
  for (const p of times) {
    const role = TIME_NAME.find(([, rx]) => rx.test(p.key))?.[0];
    const prev = role ? assigned.get(role) : undefined;
    if (role && (!prev || p.timestamp!.parseRate > prev.timestamp!.parseRate)) assigned.set(role, p);
  }
  const named = new Set(assigned.values());
  // Headers that say nothing: order by median value (received < dispatched < arrived < closed).
  const rest = times.filter((p) => !named.has(p)).sort((a, b) => (a.timestamp!.medianMs ?? 0) - (b.timestamp!.medianMs ?? 0));
  const byContent = new Set<ColumnProfile>();
  for (const role of ['received_at', 'closed_at', 'dispatched_at', 'arrived_at'] as TimeField[]) {
    if (assigned.has(role) || rest.length === 0) continue;
    const p = role === 'closed_at' ? rest.pop()! : rest.shift()!;
    assigned.set(role, p);
    byContent.add(p);
  }
  for (const [role, p] of assigned) {
    const ts = p.timestamp!;
    const how = byContent.has(p) ? 'contents only (order of its values among the time columns)' : 'header and contents';
    take(role, p, byContent.has(p) ? 0.5 : ts.parseRate, `${Math.round(ts.parseRate * 100)}% of ${ts.nonEmpty} sampled values parse as ${ts.label}; role from ${how}.`);
    mapping.timestampFormats[role] = ts.format;
    if (ts.ambiguousWith) {
      problems.push(`Column \`${p.name}\`: every sampled day is 12 or less, so month-first and day-first both fit; assumed ${ts.label}. Check one known date.`);
    }
    if (ts.parseRate < 1) {
      const bad = Math.round((1 - ts.parseRate) * ts.nonEmpty);
      const effect = role === 'received_at' ? 'those rows will be rejected' : 'those values will be left empty';
      problems.push(`Column \`${p.name}\`: ${bad} of ${ts.nonEmpty} sampled values are not dates in format ${ts.label}; ${effect}.`);
    }
  }
}

const LAT_NAME = /^(lat|latitude|[a-z]*lat|[a-z]*latitude|geolat)(deg|degrees|wgs84|dd)?$/;
const LON_NAME = /^(lon|lng|long|longitude|[a-z]*lon|[a-z]*lng|[a-z]*longitude)(deg|degrees|wgs84|dd)?$/;
const X_NAME = /^([a-z]*x|xcoord(inate)?|[a-z]*easting|east)$/;
const Y_NAME = /^([a-z]*y|ycoord(inate)?|[a-z]*northing|north)$/;

function detectLocation(
  profiles: ColumnProfile[],
  used: Set<string>,
  mapping: ColumnMapping,
  confidence: MappingDetection['confidence'],
  problems: string[],
  within?: Bbox,
): void {
  const numeric = profiles.filter((p) => !used.has(p.name) && p.numericRate >= 0.8 && p.numbers.length > 0);
  const named = (rx: RegExp) => numeric.find((p) => rx.test(p.key));
  let pair: [ColumnProfile, ColumnProfile] | null = null; // [x/lon, y/lat]
  let how = 'header';
  const lat = named(LAT_NAME);
  const lon = named(LON_NAME);
  if (lat && lon) pair = [lon, lat];
  if (!pair) {
    const x = named(X_NAME);
    const y = numeric.find((p) => Y_NAME.test(p.key) && p !== x);
    if (x && y) pair = [x, y];
  }
  const wkt = profiles.find((p) => !used.has(p.name) && p.wktRate >= 0.8);
  if (!pair && !wkt) {
    // Contents only: two columns of fractional numbers in degree ranges.
    const deg = numeric.filter((p) => p.fractionalRate >= 0.8 && p.distinctRatio > 0.2 && p.numbers.every((v) => Math.abs(v) <= 180));
    if (deg.length === 2) {
      const [a, b] = deg as [ColumnProfile, ColumnProfile];
      pair = a.numbers.some((v) => Math.abs(v) > 90) ? [a, b] : [b, a];
      how = 'contents only';
    }
  }
  if (pair && isDegrees(pair)) {
    let [x, y] = pair;
    const swapped = shouldSwap(x, y, within);
    if (swapped) [x, y] = [y, x];
    mapping.location = { kind: 'lonlat', lon: x.name, lat: y.name };
    const note = swapped ? ` The values show \`${y.name}\` holds latitudes and \`${x.name}\` longitudes (swapped headers); mapped accordingly.` : '';
    confidence.location = { score: how === 'header' && !swapped ? 0.95 : 0.6, reason: `Longitude/latitude in degrees from ${how}.${note}` };
    if (swapped) problems.push(`Columns \`${x.name}\` and \`${y.name}\` look swapped (latitude values beyond ±90 or outside the areas); mapped the other way round.`);
    used.add(x.name);
    used.add(y.name);
    return;
  }
  if (wkt) {
    mapping.location = { kind: 'wkt', column: wkt.name };
    used.add(wkt.name);
    const { xs, ys } = wktPoints(wkt);
    const projected = looksProjected(xs, ys);
    confidence.location = { score: projected ? 0.4 : 0.95, reason: `${Math.round(wkt.wktRate * 100)}% of sampled values are WKT POINT (lon lat).` };
    if (projected) problems.push(`Column \`${wkt.name}\` holds points that are not in degrees; re-export them as WGS 84 or choose the x/y columns and a coordinate system.`);
    return;
  }
  if (pair && looksProjected(pair[0].numbers, pair[1].numbers)) {
    const [x, y] = pair;
    const ranked = suggestCrs(x.numbers, y.numbers, within ? { within } : {});
    used.add(x.name);
    used.add(y.name);
    if (ranked.length === 0) {
      problems.push(`Columns \`${x.name}\`/\`${y.name}\` hold projected coordinates in no built-in coordinate system; enter its EPSG code or proj4 definition.`);
      return;
    }
    const [best, next] = ranked as [(typeof ranked)[0], (typeof ranked)[0] | undefined];
    mapping.location = { kind: 'projected', x: x.name, y: y.name, crs: best.code };
    const tie = next && next.score >= best.score - 0.01;
    confidence.location = { score: tie ? 0.4 : Math.min(0.9, best.score), reason: `Projected x/y; best fit ${best.code} (${best.name}): ${best.reason}` };
    if (tie) {
      problems.push(
        `Columns \`${x.name}\`/\`${y.name}\` are projected coordinates that fit ${best.code} (${best.name}) and ${next.code} (${next.name}) equally well; load the area boundaries or choose the coordinate system.`,
      );
    }
    return;
  }
  problems.push('No location columns were recognised (latitude/longitude, x/y or WKT points); calls will load without a map position.');
}

function isDegrees([x, y]: [ColumnProfile, ColumnProfile]): boolean {
  return x.numbers.every((v) => Math.abs(v) <= 180) && y.numbers.every((v) => Math.abs(v) <= 180);
}

function shouldSwap(lon: ColumnProfile, lat: ColumnProfile, within?: Bbox): boolean {
  if (lat.numbers.filter((v) => Math.abs(v) > 90).length > lon.numbers.filter((v) => Math.abs(v) > 90).length) return true;
  if (!within) return false;
  const hits = (xs: number[], ys: number[]) =>
    xs.filter((x, i) => x >= within[0] && x <= within[2] && ys[i]! >= within[1] && ys[i]! <= within[3]).length;
  return hits(lat.numbers, lon.numbers) > hits(lon.numbers, lat.numbers);
}

function detectId(profiles: ColumnProfile[], used: Set<string>, take: Take, problems: string[]): void {
  const free = profiles.filter((p) => !used.has(p.name) && p.nonEmpty.length > 0 && !p.timestamp && p.wktRate === 0);
  let best: { p: ColumnProfile; score: number; reason: string } | null = null;
  for (const p of free) {
    const rule = ID_NAME.find(([rx]) => rx.test(p.key));
    if (!rule || p.distinctRatio < 0.5) continue;
    const score = rule[1] * Math.min(1, p.distinctRatio + 0.1);
    if (!best || score > best.score) best = { p, score, reason: `Header looks like an id and ${Math.round(p.distinctRatio * 100)}% of sampled values are distinct.` };
  }
  if (!best) {
    const unique = free.filter((p) => p.distinctRatio >= 0.98 && p.fractionalRate === 0 && /\d/.test(p.nonEmpty.join('')));
    const p = unique.sort((a, b) => b.distinctRatio - a.distinctRatio)[0];
    if (p) best = { p, score: 0.5, reason: 'Every sampled value is distinct (id guessed from contents).' };
  }
  if (best) take('call_id', best.p, best.score, best.reason);
  else problems.push('No call id column was recognised; each row gets a synthetic id from its file and line, so duplicates cannot be found.');
}

/** Code/label pairs whose headers often do not say which half they are; specific pair first. */
const CODE_TEXT_PAIRS: [SourceField, SourceField][] = [
  ['initial_type_code', 'initial_type_text'],
  ['type_code', 'type_text'],
];

function headerMatches(profiles: ColumnProfile[], used: Set<string>): { field: SourceField; p: ColumnProfile; score: number }[] {
  const found: { field: SourceField; p: ColumnProfile; score: number }[] = [];
  for (const [field, rules] of Object.entries(NAME_RULES) as [SourceField, [RegExp, number][]][]) {
    for (const p of profiles) {
      if (used.has(p.name) || p.wktRate > 0.5 || (p.timestamp && p.timestamp.parseRate > 0.8)) continue;
      const rule = rules.find(([rx]) => rx.test(p.key));
      if (!rule) continue;
      let score = rule[1];
      if (field === 'self_initiated') score *= p.booleanRate;
      if (field === 'block_address' && p.letterRate < 0.5) score *= 0.5;
      if (score > 0.3) found.push({ field, p, score });
    }
  }
  return found;
}

/**
 * A bare `call_type` header matches the code rule as well as `call_type_code` does; the
 * values settle which is the label (detect-code-text.ts). A column takes part only in the pair
 * its header matches best, so `initial_call_type_code` never stands in for the final type.
 */
function detectCodeTextPairs(profiles: ColumnProfile[], used: Set<string>, take: Take, done: Set<SourceField>): void {
  for (const [codeField, textField] of CODE_TEXT_PAIRS) {
    const found = headerMatches(profiles, used);
    const best = new Map<ColumnProfile, { field: SourceField; score: number }>();
    for (const f of found) {
      const prev = best.get(f.p);
      if (!prev || f.score > prev.score) best.set(f.p, f);
    }
    const candidates = [...best]
      .filter(([, b]) => b.field === codeField || b.field === textField)
      .map(([p, b]) => ({ p, headerScore: b.score }))
      .sort((x, y) => y.headerScore - x.headerScore);
    const [a, b] = candidates;
    if (!a || !b) continue;
    const choice = chooseCodeText(a, b);
    if (!choice) continue;
    take(codeField, choice.code, choice.score, choice.reason);
    take(textField, choice.text, choice.score, choice.reason);
    done.add(codeField);
    done.add(textField);
  }
}

function detectByName(profiles: ColumnProfile[], used: Set<string>, take: Take): void {
  const done = new Set<SourceField>();
  detectCodeTextPairs(profiles, used, take, done);
  const found = headerMatches(profiles, used);
  found.sort((a, b) => b.score - a.score);
  for (const f of found) {
    if (done.has(f.field) || used.has(f.p.name)) continue;
    done.add(f.field);
    take(f.field, f.p, f.score, `Header \`${f.p.name}\` matches ${f.field.replaceAll('_', ' ')}.`);
  }
}
