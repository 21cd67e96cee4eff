/**
 * What a running generation gets from whoever runs it: a signal that says stop (cancelRun,
 * deleteRun, shutdown) and somewhere to report progress. Generation checks the signal between
 * chunks, so a cancelled run stops within one chunk and its transaction rolls back.
 */
export interface ProgressReporter {
  /** A new phase begins; `rowsTotal` is the run's expected row count when it becomes known. */
  phase(name: string, rowsTotal?: number): void;
  /** Rows written since the last call. */
  advance(rows: number): void;
}

export interface RunControl {
  signal: AbortSignal;
  progress: ProgressReporter;
}

/** The run was cancelled: nothing of it is kept. */
export class RunCancelled extends Error {
  override readonly name = 'RunCancelled';
  constructor() {
    super('Cancelled');
  }
}

/** Throws RunCancelled once the run's signal has fired. */
export function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new RunCancelled();
}

/** For callers that neither cancel nor watch (benchmarks, dry runs). */
export const NO_CONTROL: RunControl = {
  signal: new AbortController().signal,
  progress: { phase: () => undefined, advance: () => undefined },
};
