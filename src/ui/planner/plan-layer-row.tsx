import { unitColour } from '../../map/rotation-stops';
import { updatePlanState, usePlanState } from '../../state/plan-store';

/** The rotation's row in the layer panel (only while a plan exists): toggle, opacity, unit key. */
export function PlanLayerRow() {
  const { plan, layer, shiftIndex, pinned } = usePlanState();
  if (!plan) return null;
  const shift = plan.shifts[shiftIndex];
  return (
    <div className="layer-row">
      <div className="layer-row__head">
        <label className="check">
          <input type="checkbox" checked={layer.visible} onChange={(e) => updatePlanState({ layer: { ...layer, visible: e.target.checked } })} />
          Patrol rotation{pinned ? ' (pinned)' : ''}
        </label>
        <input type="range" min={0.1} max={1} step={0.05} value={layer.opacity} aria-label="Patrol rotation opacity" onChange={(e) => updatePlanState({ layer: { ...layer, opacity: Number(e.target.value) } })} />
      </div>
      {layer.visible && shift ? (
        <div className="layer-row__body">
          <span className="small muted">
            {shift.date} {shift.label}: numbers are the visit order
          </span>
          <ul className="legend-list small">
            {shift.units.map((u, i) => (
              <li key={u.unitId}>
                <span className="swatch swatch--dot" style={{ background: unitColour(i) }} aria-hidden="true" /> {u.unitId}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
