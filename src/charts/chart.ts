/** What every chart factory returns: panels mount once, push data, and tear down. */
export interface Chart<T> {
  update(data: T): void;
  destroy(): void;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Projector-readable defaults (council chamber, briefing room): 16 px text, 2 px focus rings. */
export const TEXT = { size: 16, small: 14, family: 'system-ui, -apple-system, "Segoe UI", sans-serif', colour: '#1b1f24' } as const;
export const FOCUS_RING = { colour: '#000000', width: 3 } as const;
