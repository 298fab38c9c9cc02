import { useEffect, useState } from 'react';
import { getDashboard, setFilters } from '../state/dashboard-store';

/**
 * Steps the hour filter through the day (every weekday), so the map animates where calls
 * are at 02:00 vs 14:00. It drives the same cross-filter as the heatmap: every view follows.
 */
export function Playback() {
  const [playing, setPlaying] = useState(false);
  const [hour, setHour] = useState<number | null>(null);
  const [msPerStep, setMsPerStep] = useState(1200);
  const show = (h: number) => {
    setHour(h);
    setFilters({ ...getDashboard().filters, hourOfWeek: { dowFrom: 0, dowTo: 6, hourFrom: h, hourTo: h } });
  };
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => show(((hour ?? -1) + 1) % 24), msPerStep);
    return () => clearInterval(t);
  });
  return (
    <fieldset className="playback">
      <legend className="visually-hidden">Play through the hours of the day</legend>
      <button type="button" className="button button--small" onClick={() => show(((hour ?? 0) + 23) % 24)} aria-label="Previous hour">
        ◀
      </button>
      <button type="button" className="button button--small" onClick={() => setPlaying((p) => !p)} aria-pressed={playing}>
        {playing ? 'Pause' : 'Play hours'}
      </button>
      <button type="button" className="button button--small" onClick={() => show(((hour ?? -1) + 1) % 24)} aria-label="Next hour">
        ▶
      </button>
      <span className="playback__hour" aria-live="off">
        {hour === null ? '—' : `${String(hour).padStart(2, '0')}:00`}
      </span>
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
