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
