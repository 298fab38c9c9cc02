import { useEffect, useState } from 'react';
import { nextDay } from '../state/dashboard-filters';
import { getDashboard, setFilters, useDashboard } from '../state/dashboard-store';

type Mode = 'hours' | 'weeks';

/** Start days of the 7-day steps covering the data span (the last step may be shorter). */
export function weekStarts(span: { start: string; end: string }): string[] {
  const out: string[] = [];
  let d = span.start;
  while (d < span.end && out.length < 530) {
    out.push(d);
    for (let i = 0; i < 7; i++) d = nextDay(d);
  }
  return out;
}

/**
 * Steps a filter through time so the map animates: the hour of day (every weekday), or the
 * weeks of the data. It drives the same cross-filter as the charts: every view follows.
 */
export function Playback() {
  const { span } = useDashboard();
  const [mode, setMode] = useState<Mode>('hours');
  const [playing, setPlaying] = useState(false);
  const [step, setStep] = useState<number | null>(null);
  const [msPerStep, setMsPerStep] = useState(1200);
  const weeks = span ? weekStarts(span) : [];
  const steps = mode === 'hours' ? 24 : weeks.length;
  const show = (i: number) => {
    if (steps === 0) return;
    const k = ((i % steps) + steps) % steps;
    setStep(k);
    const f = getDashboard().filters;
    if (mode === 'hours') setFilters({ ...f, hourOfWeek: { dowFrom: 0, dowTo: 6, hourFrom: k, hourTo: k } });
    else {
      let end = weeks[k]!;
      for (let d = 0; d < 7; d++) end = nextDay(end);
      setFilters({ ...f, dates: [weeks[k]!, span && end > span.end ? span.end : end] });
    }
  };
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => show((step ?? -1) + 1), msPerStep);
    return () => clearInterval(t);
  });
  const label =
    step === null ? '—' : mode === 'hours' ? `${String(step).padStart(2, '0')}:00` : weeks[step] ? `week of ${weeks[step]}` : '—';
  return (
    <fieldset className="playback">
      <legend className="visually-hidden">Play through time</legend>
      <select
        aria-label="Play through"
        value={mode}
        onChange={(e) => {
          setPlaying(false);
          setStep(null);
          setMode(e.target.value as Mode);
        }}
      >
        <option value="hours">hours</option>
        <option value="weeks">weeks</option>
      </select>
      <button type="button" className="button button--small" onClick={() => show((step ?? 0) - 1)} aria-label={mode === 'hours' ? 'Previous hour' : 'Previous week'}>
        ◀
      </button>
      <button type="button" className="button button--small" onClick={() => setPlaying((p) => !p)} aria-pressed={playing}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" className="button button--small" onClick={() => show((step ?? -1) + 1)} aria-label={mode === 'hours' ? 'Next hour' : 'Next week'}>
        ▶
      </button>
      <span className="playback__hour">{label}</span>
      <label className="inline-field small">
        Speed
        <select value={msPerStep} onChange={(e) => setMsPerStep(Number(e.target.value))}>
          <option value={2000}>slow</option>
          <option value={1200}>normal</option>
          <option value={600}>fast</option>
        </select>
      </label>
    </fieldset>
  );
}

