import type { GenerationRun } from '../../entities';
import { FINISHED_STATUSES, RunStatus } from '../../entities/enums';
import type { RunProgress } from '../../entities/run-progress';
import type { Database } from '../db/data-source';
import { NotFoundError } from '../errors';
import type { RunEvents } from './run-events';
import { loadRun } from './run-record';

/** How often a waiter re-reads a run another process works on. */
const POLL_MS = 250;

/** The runs this process works on right now, with their progress (fresher than their rows). */
export interface LiveRuns {
  has(runId: string): boolean;
  progress(runId: string): RunProgress | undefined;
}

/** Waiting for and watching runs, wherever they are worked: same-process changes at once, others within a poll. */
export class RunWatch {
  constructor(
    private readonly db: Database,
    private readonly events: RunEvents,
    private readonly live: LiveRuns,
  ) {}

  /**
   * Waits until the run has finished and returns it. A run deleted while it ran comes back as it
   * was last seen, CANCELLED.
   */
  async awaitRun(runId: string): Promise<GenerationRun> {
    let last: GenerationRun | null = null;
    for (;;) {
      const run = this.live.has(runId) ? null : await loadRun(this.db, runId);
      if (run) {
        last = run;
        if (FINISHED_STATUSES.includes(run.status)) return run;
      } else if (!this.live.has(runId)) {
        if (!last) throw new NotFoundError('GenerationRun', 'id', runId);
        return Object.assign(last, {
          status: RunStatus.CANCELLED,
          error: 'Deleted while it ran; no rows were kept',
        });
      }
      await this.events.wait(runId, POLL_MS);
    }
  }

  /**
   * The run each time its status or progress changes, ending with its finished state (or when it
   * is deleted).
   */
  async *watch(runId: string): AsyncGenerator<GenerationRun> {
    let last = '';
    for (;;) {
      const run = await this.current(runId);
      if (!run) return;
      const progress = this.live.progress(runId) ?? run.progress;
      const state = JSON.stringify([run.status, progress]);
      if (state !== last) {
        last = state;
        yield Object.assign(run, { progress });
      }
      if (FINISHED_STATUSES.includes(run.status)) return;
      await this.events.wait(runId, POLL_MS);
    }
  }

  /** The run as it is now (with live progress when this process works on it); null once deleted. */
  async current(runId: string): Promise<GenerationRun | null> {
    const run = this.live.has(runId) ? null : await loadRun(this.db, runId);
    if (!run) {
      const progress = this.live.progress(runId);
      return progress
        ? ({ id: runId, status: RunStatus.RUNNING, progress } as unknown as GenerationRun)
        : null;
    }
    return run;
  }
}
