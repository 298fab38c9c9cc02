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
  const phase = str(p.phase) ?? str(p.stage) ?? str(p.message);
  const filesDone = num(p.filesDone);
  const filesTotal = num(p.filesTotal);
  // importDataset reports whole files; share the bytes out by files finished.
  const byFiles = filesDone !== undefined && filesTotal ? (bytesTotal * filesDone) / filesTotal : undefined;
  return {
    file: str(p.file) ?? previous?.file ?? '',
    phase: (phase && PHASE_LABELS[phase]) ?? phase ?? previous?.phase ?? 'Importing',
    rows: num(p.rows) ?? num(p.rowsDone) ?? num(p.rowsLoaded) ?? previous?.rows ?? 0,
    bytesDone: num(p.bytesDone) ?? num(p.bytesRead) ?? num(p.bytes) ?? byFiles ?? previous?.bytesDone ?? 0,
    bytesTotal: num(p.bytesTotal) ?? num(p.totalBytes) ?? bytesTotal,
  };
}

const PHASE_LABELS: Record<string, string> = {
  stage: 'Reading files',
  map: 'Matching columns',
  build: 'Building the calls table',
  areas: 'Assigning areas',
  done: 'Finishing',
};
