/**
 * Progress and cancellation for the pipelines. The pipelines are async only so that a Web
 * Worker can yield between phases: `checkpoint` may await a macrotask (letting a "cancel"
 * message in) and throw `AnalysisCancelled`. In the CLI and tests it is simply absent.
 */
export interface PipelineHooks {
  checkpoint?: (phase: string, fraction: number) => void | Promise<void>;
}

export class AnalysisCancelled extends Error {
  constructor() {
    super('The analysis was cancelled; nothing was changed. Run it again when ready.');
    this.name = 'AnalysisCancelled';
  }
}

export async function step(hooks: PipelineHooks | undefined, phase: string, fraction: number): Promise<void> {
  await hooks?.checkpoint?.(phase, fraction);
}
