import { useEffect, useRef } from 'react';
import { create as createTable, type TableSpec } from '../../charts/data-table';

/** A chart's table view from the shared src/charts/data-table (cells set as text, never markup). */
export function TableView({ spec }: { spec: TableSpec }) {
  const host = useRef<HTMLDivElement>(null);
  const table = useRef<ReturnType<typeof createTable> | null>(null);
  useEffect(() => {
    if (!host.current) return;
    table.current = createTable(host.current, { className: 'data-table' });
    return () => {
      table.current?.destroy();
      table.current = null;
    };
  }, []);
  useEffect(() => table.current?.update(spec), [spec]);
  return <div ref={host} />;
}
