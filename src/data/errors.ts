/**
 * An error meant for the analyst: says which file, what is wrong and what to do next.
 * Anything else that escapes a loader is a bug and is reported as such.
 */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly nextStep: string,
  ) {
    super(`${file}: ${problem} ${nextStep}`.trim());
    this.name = 'ImportError';
  }
}

export function isImportError(e: unknown): e is ImportError {
  return e instanceof Error && e.name === 'ImportError';
}
