import type { Chart } from './chart';

/**
 * The table view every chart has: the same numbers as text, for screen readers, for copying
 * into a memo, and for anyone who cannot tell two colours apart. Cells are set with
 * textContent only, so a type name like `<img onerror=…>` stays text.
 */
export interface TableColumn {
  key: string;
  label: string;
  numeric?: boolean;
  format?: (value: unknown, row: Record<string, unknown>) => string;
}

export interface TableSpec {
  caption: string;
  columns: TableColumn[];
  rows: Record<string, unknown>[];
  /** Optional last row (e.g. the total), rendered in <tfoot>. */
  footer?: Record<string, unknown>;
}

export interface DataTableOptions {
  /** Extra class on the <table> for the app's styles. */
  className?: string;
}

function cellText(col: TableColumn, row: Record<string, unknown>): string {
  const v = row[col.key];
  if (col.format) return col.format(v, row);
  return v === null || v === undefined ? '–' : String(v);
}

export function create(el: HTMLElement, options: DataTableOptions = {}): Chart<TableSpec> {
  const doc = el.ownerDocument;
  const table = doc.createElement('table');
  table.className = options.className ?? 'callsight-data-table';
  el.appendChild(table);

  function row(parent: HTMLElement, spec: TableSpec, r: Record<string, unknown>, header: boolean): void {
    const tr = doc.createElement('tr');
    spec.columns.forEach((col, i) => {
      const td = doc.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) td.setAttribute('scope', 'row');
      if (col.numeric) td.style.textAlign = 'right';
      td.textContent = header ? col.label : cellText(col, r);
      tr.appendChild(td);
    });
    parent.appendChild(tr);
  }

  return {
    update(spec) {
      table.replaceChildren();
      const caption = doc.createElement('caption');
      caption.textContent = spec.caption;
      table.appendChild(caption);
      const thead = doc.createElement('thead');
      const htr = doc.createElement('tr');
      for (const col of spec.columns) {
        const th = doc.createElement('th');
        th.setAttribute('scope', 'col');
        if (col.numeric) th.style.textAlign = 'right';
        th.textContent = col.label;
        htr.appendChild(th);
      }
      thead.appendChild(htr);
      table.appendChild(thead);
      const tbody = doc.createElement('tbody');
      for (const r of spec.rows) row(tbody, spec, r, false);
      table.appendChild(tbody);
      if (spec.footer) {
        const tfoot = doc.createElement('tfoot');
        row(tfoot, spec, spec.footer, false);
        table.appendChild(tfoot);
      }
    },
    destroy() {
      table.remove();
    },
  };
}
