import { useRef } from 'react';

interface Props {
  onFiles: (files: File[]) => void;
  disabled?: boolean;
  label?: string;
  variant?: 'primary' | 'quiet';
}

const ACCEPT = '.csv,.tsv,.txt,.parquet,.geojson,.json';

/** A real button opens a hidden multi-file input: keyboard and screen readers get a button. */
export function ImportButton({ onFiles, disabled, label = 'Open files…', variant = 'primary' }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={`button button--${variant}`} disabled={disabled} onClick={() => input.current?.click()}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        hidden
        data-testid="file-input"
        aria-label="Choose call log, area and transit files"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </>
  );
}
