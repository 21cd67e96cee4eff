import type { RunProgress } from '../../entities/run-progress';
import type { ProgressReporter } from '../pipeline/run-control';

/**
 * A running generation's progress: its phase, rows written against the expected total, and a
 * time-left estimate from the rate so far. It reads the clock, which is fine here: progress is
 * about the run, not part of the generated data.
 */
export class ProgressTracker implements ProgressReporter {
  private current = 'starting';
  private done = 0;
  private total = 0;
  private readonly started = Date.now();

  constructor(private readonly onChange: (snapshot: RunProgress) => void) {}

  phase(name: string, rowsTotal?: number): void {
    this.current = name;
    if (rowsTotal !== undefined) this.total = rowsTotal;
    this.onChange(this.snapshot());
  }

  advance(rows: number): void {
    this.done += rows;
    this.onChange(this.snapshot());
  }

  snapshot(): RunProgress {
    const total = Math.max(this.total, this.done);
    // Never 100 % before the run is done: the contract and the commit still come.
    const percent = total ? Math.min(99.9, Math.round((1000 * this.done) / total) / 10) : 0;
    const elapsed = Date.now() - this.started;
    const etaMs =
      this.done > 0 && percent >= 1 ? Math.round((elapsed / this.done) * (total - this.done)) : null;
    return { phase: this.current, rowsDone: this.done, rowsTotal: total, percent, etaMs };
  }
}

/** How often a worker adds its rows to a shared count (and looks for a reason to stop). */
export const SHARED_EVERY_MS = 1000;

/**
 * Progress of a run several workers write at once (a fanned-out run): each worker adds its rows
 * to the count on the run row, at most once a second, through `write` — which says whether the
 * run should stop (cancelled, or another shard failed).
 */
export class SharedProgress implements ProgressReporter {
  private rows = 0;
  private nextPhase: { name: string; rowsTotal?: number } | null = null;
  private last = 0;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly write: (
      rows: number,
      phase: { name: string; rowsTotal?: number } | null,
    ) => Promise<void>,
  ) {}

  phase(name: string, rowsTotal?: number): void {
    this.nextPhase = { name, rowsTotal };
    this.kick(true);
  }

  advance(rows: number): void {
    this.rows += rows;
    this.kick(false);
  }

  /** Writes what is left, after the write in flight. */
  async close(): Promise<void> {
    await this.writing;
    await this.flush();
  }

  private kick(now: boolean): void {
    if (this.writing || (!now && Date.now() - this.last < SHARED_EVERY_MS)) return;
    this.writing = this.flush().finally(() => (this.writing = null));
  }

  private async flush(): Promise<void> {
    const { rows, nextPhase } = this;
    this.rows = 0;
    this.nextPhase = null;
    this.last = Date.now();
    if (!rows && !nextPhase) return;
    // Progress is best effort; the run itself reports its end.
    await this.write(rows, nextPhase).catch(() => undefined);
  }
}
