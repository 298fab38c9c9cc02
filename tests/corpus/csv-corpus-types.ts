export type CorpusOutcome =
  | {
      file: string;
      status: 'imported';
      inputRows: number;
      stagedRows: number;
      rejected: number;
      tableRows: number;
      /** every staged row got a _source_line (our scan agreed with DuckDB) */
      linesExact: boolean;
      rejectedLines: number[];
      columns: number;
      encoding: string;
      warnings: string[];
    }
  | { file: string; status: 'error'; message: string }
  | { file: string; status: 'crash' | 'timeout'; message: string };
