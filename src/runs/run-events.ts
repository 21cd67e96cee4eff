import { EventEmitter } from 'node:events';

/**
 * Tells waiters in this process that a run changed (progress, status). Other processes learn it
 * from the run row, which waiters also poll, so this only makes same-process waits prompt.
 */
export class RunEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  changed(runId: string): void {
    this.emitter.emit(runId);
  }

  /** Resolves at the next change of the run, or after `ms`, whichever comes first. */
  wait(runId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(runId, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.once(runId, done);
    });
  }
}
