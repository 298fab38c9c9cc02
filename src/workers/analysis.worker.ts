/**
 * The analysis Web Worker: runs the pure pipelines off the main thread so the map stays
 * responsive. Between phases each pipeline awaits a macrotask, which lets a "cancel" message
 * in; the run then stops with a cancelled error and posts nothing else for that id.
 */
import { chooseEvidenceWindow } from '../analysis/backtest';
import { clustersPipeline } from '../analysis/clusters-pipeline';
import { emergingPipeline } from '../analysis/emerging-pipeline';
import { hotspotsPipeline } from '../analysis/hotspots';
import { knoxPipeline } from '../analysis/knox-pipeline';
import { AnalysisCancelled, type PipelineHooks } from '../analysis/pipeline-progress';
import { rotationPipeline } from '../analysis/rotation-pipeline';
import { transitPipeline } from '../analysis/transit-pipeline';
import { type AnalysisTask, type PortLike, transferablesOf, type WorkerRequest, type WorkerResponse } from './analysis-client';

function run(task: AnalysisTask, hooks: PipelineHooks): Promise<unknown> {
  switch (task.kind) {
    case 'hotspots':
      return hotspotsPipeline(task.input, hooks);
    case 'emerging':
      return emergingPipeline(task.input, hooks);
    case 'clusters':
      return clustersPipeline(task.input, hooks);
    case 'knox':
      return knoxPipeline(task.input, hooks);
    case 'transit':
      return transitPipeline(task.input, hooks);
    case 'rotation':
      return rotationPipeline(task.input, hooks);
    case 'evidence-window':
      // the Plan tab's window choice: seconds on a city's quarter, so off the main thread too
      return Promise.resolve().then(() => chooseEvidenceWindow(task.input.hourly, task.input.options));
  }
}

const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function serveAnalysis(port: PortLike): void {
  const cancelled = new Set<number>();
  const post = (msg: WorkerResponse, transfer: Transferable[] = []) => port.postMessage(msg, transfer);
  port.addEventListener('message', (event) => {
    const msg = event.data as WorkerRequest;
    if (msg.type === 'cancel') {
      cancelled.add(msg.id);
      return;
    }
    if (msg.type !== 'run') return;
    const { id, task } = msg;
    const hooks: PipelineHooks = {
      checkpoint: async (phase, fraction) => {
        post({ type: 'progress', id, phase, fraction });
        await yieldToMessages();
        if (cancelled.has(id)) throw new AnalysisCancelled();
      },
    };
    run(task, hooks).then(
      (result) => {
        cancelled.delete(id);
        post({ type: 'result', id, result }, transferablesOf(result));
      },
      (e: unknown) => {
        cancelled.delete(id);
        const error = e instanceof Error ? e : new Error(String(e));
        post({ type: 'error', id, message: error.message, cancelled: error instanceof AnalysisCancelled });
      },
    );
  });
  port.start?.();
}

// In a dedicated worker `self` is the worker scope; in Node tests this module is imported
// only for serveAnalysis and there is no `WorkerGlobalScope`.
declare const WorkerGlobalScope: { new (): unknown } | undefined;
if (typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined' && self instanceof WorkerGlobalScope) {
  serveAnalysis(self as unknown as PortLike);
}
