/**
 * The dashboard's view queries for one selection, answered from data cubes while one clause
 * source is being dragged, unchanged views from memory, newest request wins.
 *
 *   const cache = createInteractionCache(db, { context: { tierMap, population, interval } });
 *   brush.on('start', () => void cache.prepare(selection, VIEW_IDS.heatmap)); // optional head start
 *   selection.subscribe(async () => {
 *     const results = await cache.run(DASHBOARD_VIEWS, selection, movedSource);
 *     if (results) show(results); // null: a newer run superseded this one; never apply it
 *   });
 *   // tier map confirmed / series interval switched: cache.setContext({...});
 *   // new dataset: cache.invalidate(); leaving the dashboard: await cache.dispose();
 *
 * `run` returns, per view id, exactly the rows `toRows(db.query(viewQuery(id, ctx)(selection
 * .predicate(id), selection)))` returns (tests/unit/interaction-cache.test.ts holds them equal).
 *
 * Reads run one statement per view, each skipped when its memo holds the answer, and a
 * superseded run stops between statements; `batch: true` sends them as one statement instead.
 *
 * Which source moves: `activeSource` when given (the caller knows a brush is in progress: the
 * cubes are built on this first change); otherwise the one source whose clauses changed since
 * the last run, and cubes are built from its third change in a row (INFERRED_DRAG_CHANGES):
 * a build costs about 1-2x the raw views, so clicks on different views, or a clear followed by
 * a new pick, must not pay for cubes nobody reads (measured: scripts/bench/crossfilter-node.ts).
 *
 * Cube-able clauses: hours, weekdays, hour-of-week, types, tiers, areas, and time periods whose
 * bounds fall on midnight (the time-series brush works in whole days). A map rectangle, lasso or
 * call-id pick from the moving source is not: a fine coordinate grid would count the calls of
 * a cell the rectangle cuts on the wrong side, so those views run their raw SQL (still memoized,
 * still superseded). Clauses from the other sources may be anything: they are applied at build.
 *
 * Stale work: at most one run executes and one waits; a newer run replaces the waiting one
 * (which resolves null) and makes the executing one stop before its next statement and resolve
 * null. `Db.cancel` is called only with `cancelStale: true`: on the shared browser connection it
 * would also cancel another module's streaming query, and it cannot interrupt `Db.query` there
 * (duckdb-wasm's cancelSent only cancels queries started with `send`).
 */
import type { Db } from '../data/db-types';
import { batchSql, unbatch } from '../data/queries/cube-batch';
import { type CubeColumn, type CubeSpec, type CubeViewKind, cubeBuildSql, cubeReadSql, cubeStatsSql, type Period } from '../data/queries/cube-views';
import { type Row, toRows } from '../data/rows';
import { ident, join, type Sql, sql } from '../data/sql';
import { type Clause, type ClauseKind, parseWallClock } from './clauses';
import type { Selection } from './selection';
import { VIEW_IDS, type ViewContext, type ViewId, viewQuery } from './view-clients';

export interface InteractionCacheOptions {
  context?: ViewContext;
  /** temp table prefix, when several caches share one database */
  prefix?: string;
  cancelStale?: boolean;
  /**
   * All reads of a run as ONE statement (cube-batch.ts): one worker round trip instead of one
   * per view. Off by default: DuckDB plans the LIST-of-STRUCT wrapper slowly, and on the wasm
   * engine the batch of cube reads took ~2x the same reads one by one (planning, not
   * execution: EXPLAIN alone took most of it); switch on where round trips cost more.
   */
  batch?: boolean;
  /** results remembered by statement (a view whose inputs did not move costs nothing) */
  memoEntries?: number;
}

export interface InteractionCacheStats {
  runs: number;
  superseded: number;
  builds: number;
  statements: number;
  cubeReads: number;
  rawReads: number;
  memoHits: number;
}

export interface InteractionCache {
  /** Rows per view id; null when a newer run (or invalidate) overtook this one: show nothing from it. */
  run(views: readonly ViewId[], selection: Selection, activeSource?: string | null): Promise<Map<ViewId, Row[]> | null>;
  /** Build the cubes for `source` before it moves (pointerdown, hover). */
  prepare(selection: Selection, source: string, views?: readonly ViewId[]): Promise<void>;
  setContext(context: ViewContext): void;
  invalidate(): void;
  dispose(): Promise<void>;
  stats(): InteractionCacheStats;
}

export const DASHBOARD_VIEWS: readonly ViewId[] = [VIEW_IDS.total, VIEW_IDS.heatmap, VIEW_IDS.timeSeries, VIEW_IDS.typeBars, VIEW_IDS.areaTable];

const KIND_OF_VIEW: Record<ViewId, CubeViewKind> = {
  map: 'total',
  total: 'total',
  heatmap: 'heatmap',
  'time-series': 'time-series',
  'type-bars': 'type-bars',
  'area-table': 'area-table',
};

/** Columns a source's clauses usually need, so a brush that adds a clause kind does not rebuild. */
const SOURCE_COLUMNS: Partial<Record<string, CubeColumn[]>> = {
  [VIEW_IDS.heatmap]: ['dow', 'hour'],
  [VIEW_IDS.timeSeries]: ['received_at'],
  [VIEW_IDS.typeBars]: ['type_code'],
  [VIEW_IDS.areaTable]: ['area_id'],
};

const isMidnight = (text: string) => parseWallClock(text).endsWith(' 00:00:00');

/** Cube columns a clause's predicate reads, or null when a cube cannot answer it exactly. */
export function clauseColumns(c: Clause): CubeColumn[] | null {
  const s = c.spec;
  const byKind: Record<ClauseKind, () => CubeColumn[] | null> = {
    time: () => (s.kind === 'time' && isMidnight(s.start) && isMidnight(s.end) ? ['received_at'] : null),
    hours: () => ['dow', 'hour'],
    weekdays: () => ['dow', 'hour'],
    hourOfWeek: () => ['dow', 'hour'],
    types: () => ['type_code'],
    tiers: () => ['type_code', 'type_text', 'priority'],
    areas: () => ['area_id'],
    bbox: () => null,
    polygon: () => null,
    callIds: () => null,
  };
  return byKind[s.kind]();
}

const andAll = (clauses: readonly Clause[]): Sql => (clauses.length === 0 ? sql`TRUE` : join(clauses.map((c) => c.predicate), ' AND '));
const sameSql = (a: Sql, b: Sql) => a.text === b.text && JSON.stringify(a.params) === JSON.stringify(b.params);
const keyOf = (s: Sql) => `${s.text}\u0000${JSON.stringify(s.params, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`;

/**
 * The clauses in `selection.predicate(id, except)`, recovered so the moving ones can be told
 * apart; null if the predicate cannot be rebuilt from them (then the view runs its raw SQL).
 */
export function clausesFor(selection: Selection, id: ViewId, except: readonly ClauseKind[] = []): Clause[] | null {
  const want = selection.predicate(id, except);
  const all = selection.clauses().filter((c) => c.source !== id && !except.includes(c.spec.kind));
  for (const candidate of [all, all.filter((c) => selection.affectedClients([c.source]).includes(id))]) {
    if (sameSql(andAll(candidate), want)) return candidate;
  }
  return null;
}

interface Plan {
  id: ViewId;
  read: Sql;
  /** memo key: the cube's build statement + the read */
  key: string;
  cube?: { spec: CubeSpec; sig: string };
}

interface Job {
  generation: number;
  views: readonly ViewId[];
  selection: Selection;
  activeSource: string | null | undefined;
  buildOnly: boolean;
  resolve(v: Map<ViewId, Row[]> | null): void;
  reject(e: unknown): void;
}

let instances = 0;
/** changes in a row of one (inferred) source after which it is treated as a drag */
const INFERRED_DRAG_CHANGES = 3;
/** cube tables kept: one drag needs at most one per view */
const MAX_CUBES = 8;

export function createInteractionCache(db: Db, options: InteractionCacheOptions = {}): InteractionCache {
  const prefix = options.prefix ?? `_xf${instances++}`;
  const statsTable = `${prefix}_stats`;
  let context: ViewContext = options.context ?? {};
  const memoLimit = options.memoEntries ?? 64;
  const memo = new Map<string, Row[]>();
  /** cube tables by the build statement they hold (ready = built), most recently used last */
  const cubes = new Map<string, { name: string; ready: boolean }>();
  let tableCount = 0;
  let statsReady = false;
  let activation: { source: string; columns: Set<CubeColumn>; changes: number; eager: boolean } | null = null;
  let lastSnapshot = new Map<string, string>();
  let generation = 0;
  /** bumped by invalidate: work started on the previous data must not fill the memo or mark cubes built */
  let epoch = 0;
  let executing: Job | null = null;
  let waiting: Job | null = null;
  const counters: InteractionCacheStats = { runs: 0, superseded: 0, builds: 0, statements: 0, cubeReads: 0, rawReads: 0, memoHits: 0 };

  const query = async (s: Sql) => {
    counters.statements++;
    return db.query(s);
  };

  function remember(key: string, rows: Row[]): void {
    memo.delete(key);
    memo.set(key, rows);
    while (memo.size > memoLimit) memo.delete(memo.keys().next().value as string);
  }

  /** Which source moved, and whether its cubes should exist now. */
  function activate(selection: Selection, explicit: string | null | undefined, buildOnly: boolean): { source: string; cubes: boolean } | null {
    const snapshot = new Map(selection.clauses().map((c) => [c.id, `${c.source}\u0000${JSON.stringify(c.spec)}`]));
    const moved = new Set<string>();
    for (const [id, v] of snapshot) if (lastSnapshot.get(id) !== v) moved.add(v.split('\u0000')[0]!);
    for (const [id, v] of lastSnapshot) if (!snapshot.has(id)) moved.add(v.split('\u0000')[0]!);
    lastSnapshot = snapshot;
    const source = explicit ?? (moved.size === 1 ? [...moved][0]! : moved.size === 0 ? (activation?.source ?? null) : null);
    if (!source) {
      activation = null;
      return null;
    }
    if (activation?.source !== source) activation = { source, columns: new Set(SOURCE_COLUMNS[source] ?? []), changes: 0, eager: false };
    if (moved.has(source)) activation.changes++;
    if (explicit || buildOnly) activation.eager = true;
    for (const c of selection.clauses()) {
      if (c.source !== source) continue;
      const cols = clauseColumns(c);
      if (!cols) return { source, cubes: false };
      for (const col of cols) activation.columns.add(col);
    }
    return { source, cubes: activation.eager || activation.changes >= INFERRED_DRAG_CHANGES };
  }

  function tableFor(sig: string): string {
    const known = cubes.get(sig);
    if (known) {
      cubes.delete(sig);
      cubes.set(sig, known);
      return known.name;
    }
    const name = `${prefix}_c${tableCount++}`;
    cubes.set(sig, { name, ready: false });
    return name;
  }

  /** Drop the least recently used cubes beyond MAX_CUBES (a previous drag's). */
  async function evict(keep: ReadonlySet<string>): Promise<void> {
    for (const [sig, c] of cubes) {
      if (cubes.size <= MAX_CUBES) break;
      if (keep.has(sig)) continue;
      cubes.delete(sig);
      if (c.ready) await query(sql`DROP TABLE IF EXISTS ${ident(c.name)}`);
    }
  }

  function rawPlan(id: ViewId, selection: Selection): Plan {
    const read = viewQuery(id, context)(selection.predicate(id), selection);
    return { id, read, key: keyOf(read) };
  }

  function planView(id: ViewId, selection: Selection, source: string | null, cubes: boolean): Plan {
    if (!source || !cubes || id === source || !activation) return rawPlan(id, selection);
    const kind = KIND_OF_VIEW[id];
    const time = selection.clauses().find((c) => c.spec.kind === 'time' && c.source !== VIEW_IDS.areaTable);
    const except: ClauseKind[] = kind === 'area-table' && time ? ['time'] : [];
    const included = clausesFor(selection, id, except);
    if (!included) return rawPlan(id, selection);
    const moving = included.filter((c) => c.source === source);
    const fixed = included.filter((c) => c.source !== source);
    let period: CubeSpec['period'] = null;
    let movingPeriod: Period | null = null;
    if (kind === 'area-table') {
      const spec = time?.spec.kind === 'time' ? time.spec : null;
      const p = spec ? { start: parseWallClock(spec.start), end: parseWallClock(spec.end) } : null;
      if (time && time.source !== source) period = p;
      else if (time || activation.columns.has('received_at')) {
        if (time && !clauseColumns(time)) return rawPlan(id, selection);
        period = 'moving';
        movingPeriod = p;
      }
    }
    const shape: CubeSpec = {
      view: kind,
      name: '',
      moving: [...activation.columns].sort(),
      fixedWhere: andAll(fixed),
      ...(context.table ? { table: context.table } : {}),
      ...(kind === 'type-bars' && context.tierMap ? { tierMap: context.tierMap } : {}),
      period,
    };
    // Named by what it holds: views asking for the same cube (map and total without a map clause) share one table.
    const sig = keyOf(cubeBuildSql(shape));
    const spec = { ...shape, name: tableFor(sig) };
    const read = cubeReadSql(spec, {
      movingWhere: andAll(moving),
      stats: statsTable,
      ...(context.interval ? { interval: context.interval } : {}),
      ...(context.population ? { population: context.population } : {}),
      period: movingPeriod,
    });
    return { id, read, key: `${sig}\u0001${keyOf(read)}`, cube: { spec, sig } };
  }

  async function execute(job: Job): Promise<Map<ViewId, Row[]> | null> {
    const stale = () => job.generation !== generation;
    const started = epoch;
    const active = activate(job.selection, job.activeSource, job.buildOnly);
    const plans = job.views.map((id) => planView(id, job.selection, active?.source ?? null, active?.cubes ?? false));
    if (plans.some((p) => p.cube) && !statsReady) {
      await query(cubeStatsSql(statsTable, context.table));
      statsReady = started === epoch;
    }
    for (const p of plans) {
      const entry = p.cube && cubes.get(p.cube.sig);
      if (!p.cube || !entry || entry.ready) continue;
      if (stale()) return null;
      await query(cubeBuildSql(p.cube.spec));
      entry.ready = started === epoch;
      counters.builds++;
    }
    await evict(new Set(plans.flatMap((p) => (p.cube ? [p.cube.sig] : []))));
    if (job.buildOnly) return null;
    const missing = [...new Map(plans.filter((p) => !memo.has(p.key)).map((p) => [p.key, p])).values()];
    counters.memoHits += plans.length - missing.length;
    if (missing.length > 0) {
      let results: Row[][];
      if (options.batch) {
        if (stale()) return null;
        results = unbatch(await query(batchSql(missing.map((p) => p.read))), missing.length);
      } else {
        results = [];
        for (const p of missing) {
          if (stale()) return null;
          results.push(toRows(await query(p.read)));
        }
      }
      missing.forEach((p, i) => {
        if (started === epoch) remember(p.key, results[i]!);
        if (p.cube) counters.cubeReads++;
        else counters.rawReads++;
      });
    }
    if (stale()) return null;
    if (started !== epoch) return null;
    return new Map(plans.map((p) => [p.id, memo.get(p.key) ?? []]));
  }

  async function pump(): Promise<void> {
    while (waiting && !executing) {
      const job = waiting;
      waiting = null;
      executing = job;
      try {
        const result = await execute(job);
        if (result === null && !job.buildOnly) counters.superseded++;
        job.resolve(result);
      } catch (e) {
        // A superseded run's failure (e.g. its cancelled query) is nobody's business.
        if (job.generation !== generation) job.resolve(null);
        else job.reject(e);
      } finally {
        executing = null;
      }
    }
  }

  function submit(views: readonly ViewId[], selection: Selection, activeSource: string | null | undefined, buildOnly: boolean) {
    return new Promise<Map<ViewId, Row[]> | null>((resolve, reject) => {
      const job: Job = { generation: ++generation, views, selection, activeSource, buildOnly, resolve, reject };
      if (waiting) {
        if (!waiting.buildOnly) counters.superseded++;
        waiting.resolve(null);
      }
      waiting = job;
      if (executing && options.cancelStale) void db.cancel().catch(() => {});
      void pump();
    });
  }

  return {
    run(views, selection, activeSource) {
      counters.runs++;
      return submit(views, selection, activeSource, false);
    },
    async prepare(selection, source, views = DASHBOARD_VIEWS) {
      await submit(views, selection, source, true);
    },
    setContext(next) {
      context = next;
    },
    invalidate() {
      epoch++;
      memo.clear();
      // the tables stay until replaced or dropped; none is read again
      for (const c of cubes.values()) c.ready = false;
      statsReady = false;
      activation = null;
      lastSnapshot = new Map();
    },
    async dispose() {
      generation++;
      waiting?.resolve(null);
      waiting = null;
      const names = [...[...cubes.values()].map((c) => c.name), statsTable];
      cubes.clear();
      memo.clear();
      for (const name of names) await db.query(sql`DROP TABLE IF EXISTS ${ident(name)}`);
    },
    stats: () => ({ ...counters }),
  };
}
