/**
 * Attribute patching for charts redrawn on every cross-filter step: an element keeps the
 * values it was last given, so a redraw writes only what changed. Each setAttribute
 * invalidates style and the accessibility tree; re-creating a daily series' thousand bars
 * twice per step was most of a step's main-thread time.
 */
const written = new WeakMap<Element, Map<string, string>>();

export function patchAttrs(el: Element, attrs: Readonly<Record<string, string | number>>): void {
  let last = written.get(el);
  if (!last) {
    last = new Map();
    written.set(el, last);
  }
  for (const name in attrs) {
    const value = String(attrs[name]);
    if (last.get(name) === value) continue;
    last.set(name, value);
    el.setAttribute(name, value);
  }
}

/**
 * Exactly `count` children of `parent` made by `make`, reusing the ones already there: a
 * join keyed by position, for charts whose marks sit at fixed slots (days, hour cells).
 */
export function childrenByIndex<E extends Element>(parent: Element, count: number, make: () => E): E[] {
  while (parent.children.length > count) parent.lastElementChild!.remove();
  while (parent.children.length < count) parent.appendChild(make());
  return [...parent.children] as E[];
}
