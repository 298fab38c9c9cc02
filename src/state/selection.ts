import { join, type Sql, sql } from '../data/sql';
import type { Clause, ClauseKind } from './clauses';

/**
 * Cross-filtering after Mosaic (Heer & Moritz, uwdata/mosaic): a selection holds clauses, each
 * made by one client (view). A client's query uses every active clause it is affected by,
 * except its own, so brushing the heatmap filters the map and the other charts while the
 * heatmap keeps showing the whole week to brush in. Only affected clients are told to re-query.
 */
export interface SelectionClient {
  id: string;
  /** Clause sources (client ids) this view listens to; omitted = every other client. */
  filteredBy?: readonly string[];
  /** Called with the predicate for this client whenever a clause it listens to changes. */
  requery(where: Sql): void;
}

export type SelectionListener = (clauses: readonly Clause[]) => void;

export class Selection {
  private readonly byId = new Map<string, Clause>();
  private readonly clients = new Map<string, SelectionClient>();
  private readonly listeners = new Set<SelectionListener>();

  /** Active clauses in insertion order (stable SQL text for the same filters). */
  clauses(): Clause[] {
    return [...this.byId.values()];
  }

  get(id: string): Clause | undefined {
    return this.byId.get(id);
  }

  /** Add or replace clauses; one notification for the batch. */
  update(...clauses: Clause[]): void {
    for (const c of clauses) this.byId.set(c.id, c);
    this.changed(clauses.map((c) => c.source));
  }

  /** Remove clauses by id (e.g. the chip's ✕, Escape on a brush). */
  remove(...ids: string[]): void {
    const sources = ids.flatMap((id) => {
      const c = this.byId.get(id);
      this.byId.delete(id);
      return c ? [c.source] : [];
    });
    if (sources.length > 0) this.changed(sources);
  }

  /** Remove everything a client made (its brush was cleared). */
  clearSource(source: string): void {
    this.remove(...this.clauses().filter((c) => c.source === source).map((c) => c.id));
  }

  /** Swap the whole state (URL or saved view loaded): every client re-queries once. */
  replaceAll(clauses: readonly Clause[]): void {
    const sources = [...this.clauses(), ...clauses].map((c) => c.source);
    this.byId.clear();
    for (const c of clauses) this.byId.set(c.id, c);
    this.changed(sources, true);
  }

  /**
   * WHERE predicate for a client: active clauses it is affected by, minus its own and minus
   * `exceptKinds` (the area table takes the time clause out to compare with the previous period).
   */
  predicate(clientId: string | null, exceptKinds: readonly ClauseKind[] = []): Sql {
    const client = clientId === null ? undefined : this.clients.get(clientId);
    const parts = this.clauses()
      .filter((c) => c.source !== clientId && (!client?.filteredBy || client.filteredBy.includes(c.source)) && !exceptKinds.includes(c.spec.kind))
      .map((c) => c.predicate);
    return parts.length === 0 ? sql`TRUE` : join(parts, ' AND ');
  }

  /** Register a view; it is queried immediately and on every change that affects it. */
  connect(client: SelectionClient): () => void {
    if (this.clients.has(client.id)) throw new Error(`A view with id "${client.id}" is already connected.`);
    this.clients.set(client.id, client);
    client.requery(this.predicate(client.id));
    return () => {
      this.clients.delete(client.id);
    };
  }

  /** Listen to every change (URL sync, filter chips, the total count). */
  subscribe(listener: SelectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Clients a change made by `sources` must re-query: not the source itself, and only listeners of it. */
  affectedClients(sources: readonly string[]): string[] {
    return [...this.clients.values()]
      .filter((c) => sources.some((s) => s !== c.id && (!c.filteredBy || c.filteredBy.includes(s))))
      .map((c) => c.id);
  }

  private changed(sources: readonly string[], all = false): void {
    const ids = all ? [...this.clients.keys()] : this.affectedClients(sources);
    for (const id of ids) {
      const c = this.clients.get(id);
      c?.requery(this.predicate(id));
    }
    const snapshot = this.clauses();
    for (const l of this.listeners) l(snapshot);
  }
}

/**
 * Generation counter for one client: every request takes a number and a result is applied
 * only if no newer request was made since, so a slow query for an old brush position can
 * never overwrite the answer for the current one.
 */
export class Latest {
  private generation = 0;

  next(): number {
    return ++this.generation;
  }

  isCurrent(generation: number): boolean {
    return generation === this.generation;
  }
}

export interface QueryClientOptions<T> {
  id: string;
  filteredBy?: readonly string[];
  /** Build the SQL for a predicate; `selection` lets a view take more clauses out (area change vs previous period). */
  query(where: Sql, selection: Selection): Sql;
  run(statement: Sql): Promise<T>;
  onResult(result: T, generation: number): void;
  onError?(error: unknown, generation: number): void;
  /** Told when a request starts, so the view can show it is updating. */
  onPending?(generation: number): void;
}

/** Connect a view that runs one query per change and drops stale results. Returns disconnect. */
export function connectQueryClient<T>(selection: Selection, o: QueryClientOptions<T>): () => void {
  const latest = new Latest();
  return selection.connect({
    id: o.id,
    ...(o.filteredBy ? { filteredBy: o.filteredBy } : {}),
    requery(where) {
      const generation = latest.next();
      o.onPending?.(generation);
      let statement: Sql;
      try {
        statement = o.query(where, selection);
      } catch (e) {
        o.onError?.(e, generation);
        return;
      }
      o.run(statement).then(
        (result) => {
          if (latest.isCurrent(generation)) o.onResult(result, generation);
        },
        (error) => {
          if (latest.isCurrent(generation)) o.onError?.(error, generation);
        },
      );
    },
  });
}
