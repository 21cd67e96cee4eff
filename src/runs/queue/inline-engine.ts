import type { JobEngine, RunJob } from './engine';

/**
 * The embedded database's engine: a queue in this process's memory, worked by this process. Runs
 * still go queued → running → finished and can be cancelled; a run queued when the process stops
 * is picked up again at the next start (its request is on the run row).
 */
export class InlineEngine implements JobEngine {
  readonly name = 'inline' as const;
  /** Runs stay whole here: one process, and the embedded database's one session. */
  readonly fansOut = false;
  private readonly waiting: string[] = [];
  private readonly running = new Set<Promise<void>>();
  /** Runs being worked right now. */
  private readonly active = new Set<string>();
  private processor: ((job: RunJob) => Promise<void>) | null = null;
  private concurrency = 1;
  private closed = false;

  async add(runId: string): Promise<void> {
    if (this.closed || this.waiting.includes(runId)) return;
    this.waiting.push(runId);
    // On the next turn: the request that queued the run answers before generation takes the thread.
    setImmediate(() => this.pump());
  }

  async fanOut(): Promise<void> {
    throw new Error('The in-process queue does not fan runs out');
  }

  async work(processor: (job: RunJob) => Promise<void>, concurrency: number): Promise<void> {
    this.processor = processor;
    this.concurrency = Math.max(1, concurrency);
    this.pump();
  }

  async remove(runId: string): Promise<boolean> {
    const at = this.waiting.indexOf(runId);
    if (at < 0) return false;
    this.waiting.splice(at, 1);
    return true;
  }

  async covers(runId: string): Promise<boolean> {
    return this.waiting.includes(runId) || this.active.has(runId);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    while (this.processor && !this.closed && this.running.size < this.concurrency && this.waiting.length) {
      const runId = this.waiting.shift()!;
      this.active.add(runId);
      const job: Promise<void> = this.processor({ runId, step: 'run' })
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(job);
          this.active.delete(runId);
          this.pump();
        });
      this.running.add(job);
    }
  }
}
