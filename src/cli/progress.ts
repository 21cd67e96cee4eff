import { SingleBar } from 'cli-progress';

export interface Progress {
  phase: string;
  rowsDone: number;
  rowsTotal: number;
  percent: number;
  etaMs: number | null;
}

const number = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number | null) => (ms === null ? '?' : `${Math.ceil(ms / 1000)}s`);

/**
 * A run's progress as it goes: a live bar (phase, rows, rate, ETA) on a terminal, plain lines
 * otherwise (one per phase change and at most one per second), both on stderr so stdout keeps
 * only the results.
 */
export class ProgressView {
  private bar: SingleBar | null = null;
  private lastLine = 0;
  private lastPhase = '';
  private readonly started = Date.now();

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean }) {}

  update(p: Progress): void {
    const rate = Math.round(p.rowsDone / Math.max(0.001, (Date.now() - this.started) / 1000));
    if (this.out.isTTY) {
      if (!this.bar) {
        this.bar = new SingleBar({
          stream: this.out,
          format: '{phase} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_s}',
          hideCursor: true,
        });
        this.bar.start(Math.max(1, p.rowsTotal), p.rowsDone, {
          phase: p.phase,
          rate: number(rate),
          eta_s: '?',
        });
      }
      this.bar.setTotal(Math.max(1, p.rowsTotal));
      this.bar.update(p.rowsDone, { phase: p.phase.padEnd(9), rate: number(rate), eta_s: seconds(p.etaMs) });
      return;
    }
    const now = Date.now();
    if (p.phase === this.lastPhase && now - this.lastLine < 1000) return;
    this.lastPhase = p.phase;
    this.lastLine = now;
    this.out.write(
      `progress: ${p.phase} ${number(p.rowsDone)}/${number(p.rowsTotal)} rows (${p.percent.toFixed(1)}%), ` +
        `${number(rate)} rows/s, ETA ${seconds(p.etaMs)}\n`,
    );
  }

  stop(): void {
    this.bar?.stop();
  }
}
