/**
 * Main-thread side of the analysis worker. The main thread queries DuckDB (src/data/queries)
 * and posts typed-array inputs here; their buffers are TRANSFERRED, not copied, so a 1M-call
 * candidate set costs no clone. Each request has an id; progress, result and error come back
 * tagged with it; `cancel` (or aborting the signal) stops a run at its next phase boundary.
 */
import type { EvidenceWindowOptions, EvidenceWindowSelection, HourlyCellCount } from '../analysis/backtest';
import type { ClustersInput, ClustersPipelineResult } from '../analysis/clusters-pipeline';
import type { EmergingInput, EmergingPipelineResult } from '../analysis/emerging-pipeline';
import type { HotspotInput, HotspotResult } from '../analysis/hotspots';
import type { KnoxInput, KnoxPipelineResult } from '../analysis/knox-pipeline';
import type { RotationPlan } from '../analysis/rotation';
import type { RotationPipelineInput } from '../analysis/rotation-pipeline';
import type { TransitInput, TransitPipelineResult } from '../analysis/transit-pipeline';

export interface TaskMap {
  hotspots: { input: HotspotInput; result: HotspotResult };
  emerging: { input: EmergingInput; result: EmergingPipelineResult };
  clusters: { input: ClustersInput; result: ClustersPipelineResult };
  knox: { input: KnoxInput; result: KnoxPipelineResult };
  transit: { input: TransitInput; result: TransitPipelineResult };
  rotation: { input: RotationPipelineInput; result: RotationPlan };
  'evidence-window': { input: { hourly: HourlyCellCount[]; options: EvidenceWindowOptions }; result: EvidenceWindowSelection };
}
export type TaskKind = keyof TaskMap;
export type AnalysisTask = { [K in TaskKind]: { kind: K; input: TaskMap[K]['input'] } }[TaskKind];

export type WorkerRequest = { type: 'run'; id: number; task: AnalysisTask } | { type: 'cancel'; id: number };
export type WorkerResponse =
  | { type: 'progress'; id: number; phase: string; fraction: number }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; message: string; cancelled: boolean };

/** The part of Worker / MessagePort (browser or node:worker_threads) the protocol uses. */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener?(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
}

/** ArrayBuffers under typed arrays anywhere in a value (deduplicated), for the transfer list. */
export function transferablesOf(value: unknown, depth = 4, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && value.buffer.byteLength > 0) found.add(value.buffer);
  } else if (value && typeof value === 'object' && depth > 0) {
    for (const v of Array.isArray(value) ? value : Object.values(value)) {
      if (v && typeof v === 'object') transferablesOf(v, depth - 1, found);
    }
  }
  return [...found];
}

export class AnalysisError extends Error {
  constructor(
    message: string,
    readonly cancelled: boolean,
  ) {
    super(message);
    this.name = cancelled ? 'AnalysisCancelled' : 'AnalysisError';
  }
}

export interface RunOptions {
  onProgress?: (phase: string, fraction: number) => void;
  signal?: AbortSignal;
}

export interface AnalysisClient {
  run<K extends TaskKind>(kind: K, input: TaskMap[K]['input'], options?: RunOptions): Promise<TaskMap[K]['result']>;
  /** runs in flight */
  readonly pending: number;
  dispose(): void;
}

export function createAnalysisClient(port: PortLike): AnalysisClient {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; options: RunOptions }>();
  const listener = (event: { data: unknown }) => {
    const msg = event.data as WorkerResponse;
    const w = waiting.get(msg.id);
    if (!w) return;
    if (msg.type === 'progress') w.options.onProgress?.(msg.phase, msg.fraction);
    else {
      waiting.delete(msg.id);
      if (msg.type === 'result') w.resolve(msg.result);
      else w.reject(new AnalysisError(msg.message, msg.cancelled));
    }
  };
  port.addEventListener('message', listener);
  port.start?.();
  return {
    run(kind, input, options = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (options.signal?.aborted) {
          reject(new AnalysisError('The analysis was cancelled before it started.', true));
          return;
        }
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, options });
        options.signal?.addEventListener('abort', () => port.postMessage({ type: 'cancel', id } satisfies WorkerRequest), { once: true });
        const request: WorkerRequest = { type: 'run', id, task: { kind, input } as AnalysisTask };
        port.postMessage(request, transferablesOf(input));
      });
    },
    get pending() {
      return waiting.size;
    },
    dispose() {
      port.removeEventListener?.('message', listener);
      for (const w of waiting.values()) w.reject(new AnalysisError('The analysis worker was closed.', true));
      waiting.clear();
    },
  };
}

/** The app's client: a module worker bundled by Vite. */
export function createBrowserAnalysisClient(): AnalysisClient & { terminate(): void } {
  const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'callsight-analysis' });
  const client = createAnalysisClient(worker as unknown as PortLike);
  return Object.assign(client, {
    terminate() {
      client.dispose();
      worker.terminate();
    },
  });
}
