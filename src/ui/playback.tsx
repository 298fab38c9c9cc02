import { useEffect, useState } from 'react';
import { hoursClause, timeClause } from '../state/clauses';
import { setSourceClauses, useDashboard } from '../state/dashboard-store';
import { VIEW_IDS } from '../state/view-clients';

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

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
 * weeks of the data. It writes the same clauses as the heatmap and the time series: every view follows.
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
    // Written as the heatmap's and the time series' own clauses, so their brushes show the step.
    if (mode === 'hours') setSourceClauses(VIEW_IDS.heatmap, [hoursClause(VIEW_IDS.heatmap, k, (k + 1) % 24)]);
    else {
      let end = weeks[k]!;
      for (let d = 0; d < 7; d++) end = nextDay(end);
      setSourceClauses(VIEW_IDS.timeSeries, [timeClause(VIEW_IDS.timeSeries, weeks[k]!, span && end > span.end ? span.end : end)]);
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

