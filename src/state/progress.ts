import type { ImportProgress } from './session-store';

/**
 * Import progress from the pipeline, whatever shape a stage reports ({rows}, {bytesDone},
 * {phase|stage}, {file}), merged into what the progress bar shows. Missing fields keep
 * their previous values so the bar never jumps back.
 */
export function normaliseProgress(raw: unknown, previous: ImportProgress | null, bytesTotal: number): ImportProgress {
  const p = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    file: str(p.file) ?? previous?.file ?? '',
    phase: str(p.phase) ?? str(p.stage) ?? str(p.message) ?? previous?.phase ?? 'Importing',
    rows: num(p.rows) ?? num(p.rowsDone) ?? num(p.rowsLoaded) ?? previous?.rows ?? 0,
    bytesDone: num(p.bytesDone) ?? num(p.bytesRead) ?? num(p.bytes) ?? previous?.bytesDone ?? 0,
    bytesTotal: num(p.bytesTotal) ?? num(p.totalBytes) ?? bytesTotal,
  };
}
