import { useEffect, useRef, useState } from 'react';
import type { ColumnMapping, LocationSource } from '../data/types';
import { exportMapping } from '../data/presets';
import { CRS_CHOICES, MAPPABLE_COLUMNS, type MappingProposal, TIMESTAMP_FORMAT_CHOICES } from '../state/mapping-proposal';
import { downloadText } from './format';

interface Props {
  proposal: MappingProposal;
  onConfirm: (mapping: ColumnMapping) => void;
  onCancel: () => void;
}

type TimestampKey = keyof ColumnMapping['timestampFormats'];
const TIMESTAMP_KEYS: TimestampKey[] = ['received_at', 'dispatched_at', 'arrived_at', 'closed_at'];

/**
 * Review of the detected column mapping before anything is imported. A native <dialog>
 * opened with showModal() traps focus and closes on Escape without extra code.
 */
export function MappingDialog({ proposal, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [mapping, setMapping] = useState<ColumnMapping>(proposal.mapping);
  const [append, setAppend] = useState<boolean>(proposal.append?.chosen ?? false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const setColumn = (key: keyof ColumnMapping['columns'], source: string) =>
    setMapping((m) => ({ ...m, columns: { ...m.columns, [key]: source || undefined } }));
  const setFormat = (key: TimestampKey, format: string) => setMapping((m) => ({ ...m, timestampFormats: { ...m.timestampFormats, [key]: format } }));
  const setLocation = (location: LocationSource) => setMapping((m) => ({ ...m, location }));
  const sample = (column: string | undefined) => (column ? (proposal.samples[column] ?? []).slice(0, 3).join(' · ') : '');
  const missingRequired = MAPPABLE_COLUMNS.filter((c) => c.required && !mapping.columns[c.key]);

  return (
    <dialog ref={ref} className="mapping-dialog" aria-labelledby="mapping-title" onCancel={onCancel} data-testid="mapping-dialog">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (missingRequired.length !== 0) return;
          if (proposal.append) proposal.append.chosen = append;
          onConfirm(mapping);
        }}
      >
        <header className="mapping-dialog__head">
          <h2 id="mapping-title">Check the column mapping</h2>
          <p className="muted">
            {proposal.file}: {proposal.columns.length} columns. Each Callsight field is matched to one of your columns; change any that are wrong.
          </p>
          {proposal.problems.length ? (
            <ul className="mapping-dialog__problems">
              {proposal.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </header>
        {proposal.append ? (
          <fieldset className="mapping-dialog__append">
            <legend>These columns match the loaded dataset</legend>
            <label>
              <input type="checkbox" checked={append} onChange={(e) => setAppend(e.target.checked)} data-testid="append-choice" />{' '}
              Add to the current dataset ({proposal.append.currentFiles.join(', ')}: {proposal.append.currentCalls.toLocaleString('en-US')} calls); calls whose id is already loaded count as duplicates
            </label>
          </fieldset>
        ) : null}
        <div className="mapping-dialog__body">
          <table className="mapping-table">
            <thead>
              <tr>
                <th scope="col">Callsight field</th>
                <th scope="col">Your column</th>
                <th scope="col">Sample values</th>
                <th scope="col" className="num">
                  Confidence
                </th>
              </tr>
            </thead>
            <tbody>
              {MAPPABLE_COLUMNS.map(({ key, label, required }) => {
                const chosen = mapping.columns[key];
                const confidence = proposal.confidence[key];
                return (
                  <tr key={key}>
                    <th scope="row">
                      <label htmlFor={`map-${key}`}>
                        {label}
                        {required ? <span className="required"> *<span className="visually-hidden"> (required)</span></span> : null}
                      </label>
                    </th>
                    <td>
                      <select id={`map-${key}`} value={chosen ?? ''} onChange={(e) => setColumn(key, e.currentTarget.value)}>
                        <option value="">— not in this file —</option>
                        {proposal.columns.map((c) => (
                          <option key={c} value={c}>
                            {c}
                          </option>
                        ))}
                      </select>
                      {key in mapping.timestampFormats || (TIMESTAMP_KEYS as string[]).includes(key) ? (
                        chosen ? (
                          <select
                            aria-label={`${label} format`}
                            className="format-select"
                            value={mapping.timestampFormats[key as TimestampKey] ?? 'iso'}
                            onChange={(e) => setFormat(key as TimestampKey, e.currentTarget.value)}
                          >
                            {withCurrent(TIMESTAMP_FORMAT_CHOICES, mapping.timestampFormats[key as TimestampKey]).map((f) => (
                              <option key={f.value} value={f.value}>
                                {f.label}
                              </option>
                            ))}
                          </select>
                        ) : null
                      ) : null}
                    </td>
                    <td className="sample">{sample(chosen)}</td>
                    <td className="num">{confidence === undefined || !chosen ? '' : <Confidence value={confidence} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <LocationEditor columns={proposal.columns} location={mapping.location} onChange={setLocation} samples={proposal.samples} />
          <label htmlFor="map-tz" className="inline-field tz-field">
            Time zone of the timestamps
            <select id="map-tz" value={mapping.timeZone} onChange={(e) => setMapping((m) => ({ ...m, timeZone: e.currentTarget.value }))}>
              {[...new Set([mapping.timeZone, ...TIME_ZONES])].map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
            <span className="muted small">Times are kept as written (wall clock); the zone labels them.</span>
          </label>
        </div>
        <footer className="mapping-dialog__foot">
          {missingRequired.length ? (
            <p className="field-error" role="status">
              Choose a column for {missingRequired.map((c) => c.label).join(' and ')}.
            </p>
          ) : null}
          <button type="button" className="button button--quiet" onClick={() => downloadText('callsight-mapping.json', `${exportMapping(mapping)}\n`, 'application/json')}>
            Export mapping (JSON)
          </button>
          <span className="spacer" />
          <button type="button" className="button button--quiet" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={missingRequired.length > 0}>
            Import with this mapping
          </button>
        </footer>
      </form>
    </dialog>
  );
}

const TIME_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu', 'Europe/London', 'UTC'];

function withCurrent(choices: { value: string; label: string }[], current: string | undefined) {
  return current && !choices.some((c) => c.value === current) ? [{ value: current, label: `${current} (detected)` }, ...choices] : choices;
}

function Confidence({ value }: { value: number }) {
  const level = value >= 0.8 ? 'high' : value >= 0.5 ? 'medium' : 'low';
  return (
    <span className={`confidence confidence--${level}`}>
      {Math.round(value * 100)} % <span className="visually-hidden">{level}</span>
    </span>
  );
}

function LocationEditor(props: { columns: string[]; location: LocationSource; samples: Record<string, string[]>; onChange: (l: LocationSource) => void }) {
  const { location, columns, onChange } = props;
  const columnSelect = (id: string, label: string, value: string, set: (v: string) => void) => (
    <label htmlFor={id} className="inline-field">
      {label}
      <select id={id} value={value} onChange={(e) => set(e.currentTarget.value)}>
        <option value="">—</option>
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <span className="sample">{(props.samples[value] ?? []).slice(0, 2).join(' · ')}</span>
    </label>
  );
  return (
    <fieldset className="location-editor">
      <legend>Location</legend>
      <label htmlFor="loc-kind" className="inline-field">
        Encoded as
        <select
          id="loc-kind"
          value={location.kind}
          onChange={(e) => {
            const kind = e.currentTarget.value as LocationSource['kind'];
            if (kind === 'lonlat') onChange({ kind, lon: '', lat: '' });
            else if (kind === 'wkt') onChange({ kind, column: '' });
            else if (kind === 'projected') onChange({ kind, x: '', y: '', crs: 'EPSG:3452' });
            else onChange({ kind: 'none' });
          }}
        >
          <option value="lonlat">Longitude / latitude columns (WGS 84)</option>
          <option value="wkt">WKT point column (POINT (lon lat))</option>
          <option value="projected">Projected X / Y (state plane, UTM…)</option>
          <option value="none">No location</option>
        </select>
      </label>
      {location.kind === 'lonlat' ? (
        <>
          {columnSelect('loc-lon', 'Longitude', location.lon, (lon) => onChange({ ...location, lon }))}
          {columnSelect('loc-lat', 'Latitude', location.lat, (lat) => onChange({ ...location, lat }))}
        </>
      ) : null}
      {location.kind === 'wkt' ? columnSelect('loc-wkt', 'Column', location.column, (column) => onChange({ ...location, column })) : null}
      {location.kind === 'projected' ? (
        <>
          {columnSelect('loc-x', 'X (easting)', location.x, (x) => onChange({ ...location, x }))}
          {columnSelect('loc-y', 'Y (northing)', location.y, (y) => onChange({ ...location, y }))}
          <label htmlFor="loc-crs" className="inline-field">
            Coordinate system
            <select id="loc-crs" value={location.crs} onChange={(e) => onChange({ ...location, crs: e.currentTarget.value })}>
              {withCurrent(CRS_CHOICES, location.crs).map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        </>
      ) : null}
    </fieldset>
  );
}
