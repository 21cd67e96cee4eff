import { reviveDashboard, reviveScenario } from './revive-request';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { GenerationRun } from '../../entities';
import { FINISHED_STATUSES, RunKind, RunStatus } from '../../entities/enums';
import type { RunProgress } from '../../entities/run-progress';
import type { Database } from '../db/data-source';
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  QueueUnavailableApiError,
  consoleLogger,
  type ErrorLogger,
} from '../errors';
import type { LlmServices } from '../llm';
import { dashboardFitsOneTransaction, dashboardRun, executeDashboardRun } from './dashboard-run';
import { runEnded, runsStarted } from './run-metrics';
import { closeGeneratorThreads } from '../pipeline/scenario/chunk-source';
import { removeOrMarkPending, sweepPendingRows } from './run-cleanup';
import type { DashboardRequest } from '../pipeline/dashboard/dashboard-request';
import { canonicalJson } from '../canonical-json';
import type { RunControl } from '../pipeline/run-control';
import { CANCELLED_REASON, failureReason, rowsSaid } from './run-executor';
import { createRun, endRun, loadRun, type NewRun } from './run-record';
import { executeScenarioRun, scenarioFitsOneTransaction, scenarioRun } from './scenario-run';
import {
  abandonShards,
  finishShards,
  prepareShards,
  recordShardFailure,
  scenarioFansOut,
  writeShard,
} from './scenario-shards';
import type { ScenarioRequest } from '../pipeline/scenario/scenario-request';
import { QueueUnavailableError, type JobEngine, type RunJob } from './queue/engine';
import { ProgressTracker, SharedProgress } from './progress';
import { RunEvents } from './run-events';

export interface SubmitOptions {
  /** Return the finished run (true, today's contract) or at once, QUEUED or RUNNING. */
  wait: boolean;
  idempotencyKey?: string | null;
}

interface LocalRun {
  controller: AbortController;
  progress: RunProgress;
}

/** How often a running run's progress reaches its row (and how often its worker looks for a cancel). */
const PERSIST_EVERY_MS = 1000;

/**
 * How a run whose owner is gone is found. A worker stamps the runs it has every `heartbeatMs`; any
 * process looks every `watchdogMs` for RUNNING runs without a stamp for `staleMs` that the queue no
 * longer holds a job for (their worker died and BullMQ gave up, or the queue lost its data) and
 * ends them FAILED, their rows removed; QUEUED runs the queue lost are queued again. So such a run
 * ends within staleMs + watchdogMs (40 s by default) of its owner's last stamp.
 */
export interface Recovery {
  heartbeatMs: number;
  staleMs: number;
  watchdogMs: number;
}

export const RECOVERY: Recovery = { heartbeatMs: 5000, staleMs: 30_000, watchdogMs: 10_000 };

export const INTERRUPTED_REASON =
  'Interrupted: the worker running it stopped, or the job queue lost its job; no rows were kept';
/** How often a waiter re-reads a run another process works on. */
const POLL_MS = 250;

/**
 * Runs as jobs: submitting creates the run (QUEUED, with its request) and queues it; a worker —
 * in this process or another — claims and runs it; callers wait for it, watch it or cancel it.
 * The run row is the truth every process shares: status, progress and the cancellation flag.
 */
export class RunJobs {
  readonly events = new RunEvents();
  private readonly local = new Map<string, LocalRun>();
  /** Steps of fanned-out runs this process works on, by run: stopped at once by a cancel here. */
  private readonly steps = new Map<string, Set<AbortController>>();

  private timers: NodeJS.Timeout[] = [];

  /** Stops taking jobs, waits for the ones in hand, then stops the generator threads. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.engine.close();
    await closeGeneratorThreads();
  }

  constructor(
    private readonly db: Database,
    private readonly llm: LlmServices,
    readonly engine: JobEngine,
    private readonly log: ErrorLogger = consoleLogger,
    /** This worker's name, recorded on the shards it writes. */
    readonly workerName = `${hostname()}/${process.pid}`,
    readonly recovery: Recovery = RECOVERY,
  ) {}

  /**
   * Starts this process's part in finding runs whose owner is gone (the runs it works on are
   * stamped by withHeartbeat as they run): every watchdogMs, recovering the others and removing
   * the rows the sweep owes (see Recovery).
   */
  startRecovery(): void {
    const every = (ms: number, task: () => Promise<unknown>) => {
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        task()
          .catch(() => undefined)
          .finally(() => (busy = false));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    // On the embedded database this process has every run (the directory is locked), so only
    // the start-up recovery looks for orphans; the periodic one just removes owed rows.
    every(this.recovery.watchdogMs, () =>
      this.recover(this.recovery.staleMs, { orphans: this.db.mode === 'postgres' }),
    );
  }

  /** The runs this process is working on right now. */
  private mine(): string[] {
    return [...new Set([...this.local.keys(), ...this.steps.keys()])];
  }

  submitScenario(request: ScenarioRequest, options: SubmitOptions): Promise<GenerationRun> {
    return this.submit(async () => scenarioRun(this.llm, request), request, options);
  }

  /**
   * Several scenario runs at once (generateScenarios): each queued in order, each its own run (one
   * failing leaves the others), answered in the same order — finished when `wait`.
   */
  async submitScenarios(
    items: readonly { request: ScenarioRequest; idempotencyKey?: string | null }[],
    wait: boolean,
  ): Promise<GenerationRun[]> {
    const queued: GenerationRun[] = [];
    for (const item of items) {
      queued.push(
        await this.submitScenario(item.request, { wait: false, idempotencyKey: item.idempotencyKey }),
      );
    }
    return wait ? Promise.all(queued.map((run) => this.awaitRun(run.id))) : queued;
  }

  submitDashboard(request: DashboardRequest, options: SubmitOptions): Promise<GenerationRun> {
    return this.submit(async () => dashboardRun(request), request, options);
  }

  private async submit(
    describe: () => Promise<Omit<NewRun, 'request'>>,
    request: ScenarioRequest | DashboardRequest,
    options: SubmitOptions,
  ): Promise<GenerationRun> {
    const run = await describe();
    const inputHash = createHash('sha256')
      .update(canonicalJson({ kind: run.kind, input: run.input }))
      .digest('hex');
    const key = options.idempotencyKey ?? null;
    if (key) {
      const existing = await this.byKey(key, inputHash);
      if (existing) return options.wait ? this.awaitRun(existing.id) : existing;
    }
    let id: string;
    try {
      ({ id } = await createRun(this.db, {
        ...run,
        request: JSON.parse(JSON.stringify(request)),
        idempotencyKey: key,
        inputHash,
      }));
    } catch (error) {
      // The same key, submitted twice at once: the other submission made the run.
      const existing = key ? await this.byKey(key, inputHash) : null;
      if (!existing) throw error;
      return options.wait ? this.awaitRun(existing.id) : existing;
    }
    try {
      await this.engine.add(id);
    } catch (error) {
      // Nothing is kept of a run the queue would not take: the client may simply try again.
      await this.db.dataSource.query(`DELETE FROM generation_runs WHERE id = $1 AND status = 'QUEUED'`, [id]);
      if (error instanceof QueueUnavailableError) {
        throw new QueueUnavailableApiError(
          `The job queue is unreachable (${this.engine.name}); nothing was started: try again later`,
        );
      }
      throw error;
    }
    runsStarted.inc({ kind: run.kind.toLowerCase() });
    return options.wait ? this.awaitRun(id) : (await loadRun(this.db, id))!;
  }

  /** The run of an idempotency key, if any; BAD_USER_INPUT when it was made from another input. */
  private async byKey(key: string, inputHash: string): Promise<GenerationRun | null> {
    const [row] = await this.db.dataSource.query(
      `SELECT id, input_hash FROM generation_runs WHERE idempotency_key = $1`,
      [key],
    );
    if (!row) return null;
    if (row.input_hash !== inputHash) {
      throw new BadUserInputError(
        'This idempotencyKey was already used with a different input; use a new key for a new run',
        'input.idempotencyKey',
      );
    }
    return loadRun(this.db, row.id);
  }

  /** The job processor: a whole run, or a step of a fanned-out one; a run it ends is counted in /metrics. */
  async process(job: RunJob): Promise<void> {
    await this.work(job);
    if (job.step === 'shard') return;
    const run = await loadRun(this.db, job.runId);
    if (run) runEnded(run);
  }

  private async work(job: RunJob): Promise<void> {
    const run = await loadRun(this.db, job.runId);
    if (!run || FINISHED_STATUSES.includes(run.status) || !run.request) return;
    const scenario = run.kind === RunKind.SCENARIO ? reviveScenario(run.request) : null;
    const dashboard = run.kind === RunKind.DASHBOARD ? reviveDashboard(run.request) : null;
    const deps = { db: this.db, llm: this.llm };
    if (job.step === 'shard') {
      return this.shared(job.runId, (control) =>
        writeShard(deps, job.runId, scenario!, job.shard, control, this.workerName),
      );
    }
    if (job.step === 'finish') {
      return this.shared(
        job.runId,
        async (control) => void (await finishShards(deps, job.runId, scenario!, control)),
      );
    }
    if (scenario && this.engine.fansOut && scenarioFansOut(deps, scenario)) {
      return this.shared(job.runId, async (control) => {
        const shards = await prepareShards(deps, job.runId, scenario, control);
        if (shards === null) return;
        try {
          await this.engine.fanOut(job.runId, shards);
        } catch (error) {
          await abandonShards(deps, job.runId, run.startedAt, failureReason(error, this.log));
        }
      });
    }
    return this.whole(job.runId, scenario, dashboard);
  }

  /**
   * A run worked whole by this process: claimed and generated here, reporting progress to the run
   * row (and to waiters here) and stopping when it is cancelled here or — seen on the row — elsewhere.
   */
  private async whole(
    runId: string,
    scenario: ScenarioRequest | null,
    dashboard: DashboardRequest | null,
  ): Promise<void> {
    const oneTransaction = scenario
      ? scenarioFitsOneTransaction(scenario)
      : dashboardFitsOneTransaction(dashboard!);
    // The embedded database's one session is held by a one-transaction run: its progress stays in
    // memory (such runs are short, and always worked by this process).
    const persist = this.db.mode === 'postgres' || !oneTransaction;
    const controller = new AbortController();
    const local: LocalRun = {
      controller,
      progress: { phase: 'starting', rowsDone: 0, rowsTotal: 0, percent: 0, etaMs: null },
    };
    this.local.set(runId, local);
    let lastPersist = 0;
    let persisting: Promise<void> | null = null;
    const tracker = new ProgressTracker((snapshot) => {
      local.progress = snapshot;
      this.events.changed(runId);
      if (!persist || persisting || Date.now() - lastPersist < PERSIST_EVERY_MS) return;
      lastPersist = Date.now();
      persisting = this.persist(runId, snapshot, controller).finally(() => (persisting = null));
    });
    const control: RunControl = { signal: controller.signal, progress: tracker };
    try {
      if (scenario) await executeScenarioRun({ db: this.db, llm: this.llm }, runId, scenario, control);
      else await executeDashboardRun(this.db, runId, dashboard!, control);
    } finally {
      await persisting;
      this.local.delete(runId);
      this.events.changed(runId);
    }
  }

  /**
   * A step of a fanned-out run: its progress is added to the run row's (other workers add theirs),
   * and it stops when the run is cancelled (here or elsewhere) or another shard failed.
   */
  private async shared(runId: string, step: (control: RunControl) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    const mine = this.steps.get(runId) ?? new Set<AbortController>();
    mine.add(controller);
    this.steps.set(runId, mine);
    const progress = new SharedProgress(async (rows, phase) => {
      if (await this.addProgress(runId, rows, phase)) controller.abort();
      this.events.changed(runId);
    });
    try {
      await step({ signal: controller.signal, progress });
    } finally {
      await progress.close();
      mine.delete(controller);
      if (mine.size === 0) this.steps.delete(runId);
      this.events.changed(runId);
    }
  }

  /**
   * Adds rows (and maybe a new phase) to a running run's progress in one statement, so workers
   * adding at once all count; true when the run should stop (cancelled, or a shard failed).
   */
  private async addProgress(
    runId: string,
    rows: number,
    phase: { name: string; rowsTotal?: number } | null,
  ): Promise<boolean> {
    // The total is exact (from the plan); a shard a dead worker had begun is counted again when it
    // is written again, so the count is held at the total rather than passing it.
    const total = `coalesce($4::bigint, (progress->>'rowsTotal')::bigint, 0)`;
    const done = `least(greatest(coalesce((progress->>'rowsDone')::bigint, 0) + $2::bigint, 0), ${total})`;
    const [rowsBack] = await this.db.dataSource.query(
      `UPDATE generation_runs SET progress = jsonb_build_object(
          'phase', coalesce($3::text, progress->>'phase'),
          'rowsDone', ${done},
          'rowsTotal', ${total},
          'percent', CASE WHEN ${total} = 0 THEN 0 ELSE least(99.9, round(1000.0 * ${done} / ${total}) / 10) END,
          'etaMs', CASE WHEN ${done} = 0 THEN NULL
                   ELSE round(extract(epoch FROM now() - started_at) * 1000 / ${done} * (${total} - ${done})) END)
        WHERE id = $1 AND status = 'RUNNING'
        RETURNING cancel_requested
          OR EXISTS (SELECT 1 FROM run_shards s WHERE s.run_id = $1 AND s.error IS NOT NULL) AS stop`,
      [runId, rows, phase?.name ?? null, phase?.rowsTotal ?? null],
    );
    const row = Array.isArray(rowsBack) ? rowsBack[0] : undefined;
    return row ? Boolean(row.stop) : true;
  }

  /** Writes progress to the row; a cancellation requested by another process stops the run here. */
  private async persist(runId: string, progress: RunProgress, controller: AbortController): Promise<void> {
    try {
      const [rows] = await this.db.dataSource.query(
        `UPDATE generation_runs SET progress = $2::jsonb WHERE id = $1 AND status = 'RUNNING' RETURNING cancel_requested`,
        [runId, JSON.stringify(progress)],
      );
      if (Array.isArray(rows) && rows[0]?.cancel_requested) controller.abort();
    } catch {
      // Progress is best effort; the run itself reports its end.
    }
  }

  /** Progress of a run this process is working on right now (fresher than the row). */
  liveProgress(runId: string): RunProgress | undefined {
    return this.local.get(runId)?.progress;
  }

  /**
   * Stops a queued or running run: it ends CANCELLED and keeps no rows. NOT_FOUND for an unknown
   * run, CONFLICT for a finished one. Returns the run once it has stopped.
   */
  async cancel(runId: string, field = 'id'): Promise<GenerationRun> {
    const local = this.local.get(runId);
    if (local) {
      // Running here: stop it now, without waiting for a database that may be busy with it.
      local.controller.abort();
      void this.db.dataSource
        .query(`UPDATE generation_runs SET cancel_requested = true WHERE id = $1`, [runId])
        .catch(() => undefined);
      return this.awaitRun(runId);
    }
    const run = await loadRun(this.db, runId);
    if (!run) throw new NotFoundError('GenerationRun', field, runId);
    if (FINISHED_STATUSES.includes(run.status)) {
      throw new ConflictError(
        `Run ${runId} already finished (${run.status}); only queued or running runs can be cancelled`,
        field,
      );
    }
    // Here first (it stops at the next chunk), then on the row for workers elsewhere.
    this.steps.get(runId)?.forEach((step) => step.abort());
    const removed = await this.engine.remove(runId);
    await this.db.dataSource.query(`UPDATE generation_runs SET cancel_requested = true WHERE id = $1`, [
      runId,
    ]);
    if (run.status === RunStatus.RUNNING && !this.steps.has(runId) && (await this.ownerGone(runId))) {
      // Nobody works it any more (its worker died or its job was lost): cancelled right here.
      const gone = await removeOrMarkPending(this.db, runId);
      await endRun(this.db, runId, RunStatus.CANCELLED, run.startedAt, rowsSaid(CANCELLED_REASON, !gone));
    } else if (removed || run.status === RunStatus.QUEUED) {
      // Nobody has it yet (or whoever takes it will see the flag and not start it).
      await this.db.dataSource.query(
        `UPDATE generation_runs SET status = 'CANCELLED', error = $2, finished_at = now(),
           progress = jsonb_set(coalesce(progress, '{}'), '{phase}', '"cancelled"')
         WHERE id = $1 AND status = 'QUEUED'`,
        [runId, CANCELLED_REASON],
      );
    }
    this.events.changed(runId);
    return this.awaitRun(runId);
  }

  /**
   * Waits until the run has finished and returns it. A run deleted while it ran comes back as it
   * was last seen, CANCELLED.
   */
  async awaitRun(runId: string): Promise<GenerationRun> {
    let last: GenerationRun | null = null;
    for (;;) {
      const run = this.local.has(runId) ? null : await loadRun(this.db, runId);
      if (run) {
        last = run;
        if (FINISHED_STATUSES.includes(run.status)) return run;
      } else if (!this.local.has(runId)) {
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
   * is deleted). Same-process changes arrive at once; others within a poll.
   */
  async *watch(runId: string): AsyncGenerator<GenerationRun> {
    let last = '';
    for (;;) {
      const run = await this.current(runId);
      if (!run) return;
      const progress = this.liveProgress(runId) ?? run.progress;
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
    const run = this.local.has(runId) ? null : await loadRun(this.db, runId);
    if (!run) {
      const progress = this.local.get(runId)?.progress;
      return progress
        ? ({ id: runId, status: RunStatus.RUNNING, progress } as unknown as GenerationRun)
        : null;
    }
    return run;
  }

  /** Whether a RUNNING run's worker has not stamped it for staleMs (or ever). */
  private async ownerGone(runId: string, staleMs = this.recovery.staleMs): Promise<boolean> {
    const [row] = await this.db.dataSource.query(
      `SELECT heartbeat_at IS NULL OR heartbeat_at < now() - $2 * interval '1 millisecond' AS stale
         FROM generation_runs WHERE id = $1 AND status = 'RUNNING'`,
      [runId, staleMs],
    );
    return Boolean(row?.stale);
  }

  /**
   * Ends the runs whose owner is gone and re-queues the queued runs the queue lost (see Recovery),
   * and removes the rows the sweep still owes. Only runs without a heartbeat for `staleMs`, not
   * worked here, and that the queue holds no job for are touched: other workers' runs are theirs.
   * At the start of the embedded service (one process, the data directory locked) staleMs is 0.
   */
  async recover(
    staleMs: number,
    { orphans = true }: { orphans?: boolean } = {},
  ): Promise<{ failed: number; requeued: number; cleared: number }> {
    const stale: { id: string; started_at: Date | null }[] = orphans
      ? await this.db.dataSource.query(
          `SELECT id, started_at FROM generation_runs
            WHERE status = 'RUNNING' AND (heartbeat_at IS NULL OR heartbeat_at < now() - $1 * interval '1 millisecond')`,
          [staleMs],
        )
      : [];
    const mine = new Set(this.mine());
    let failed = 0;
    for (const { id, started_at } of stale) {
      if (mine.has(id) || (await this.engine.covers(id)) !== false) continue;
      const gone = await removeOrMarkPending(this.db, id);
      await endRun(this.db, id, RunStatus.FAILED, started_at, rowsSaid(INTERRUPTED_REASON, !gone));
      this.events.changed(id);
      failed++;
    }
    const queued: { id: string }[] = await this.db.dataSource.query(
      `SELECT id FROM generation_runs
        WHERE status = 'QUEUED' AND created_at < now() - $1 * interval '1 millisecond' ORDER BY created_at`,
      [staleMs],
    );
    let requeued = 0;
    for (const { id } of queued) {
      if ((await this.engine.covers(id)) !== false) continue;
      await this.engine.add(id);
      requeued++;
    }
    return { failed, requeued, cleared: await sweepPendingRows(this.db) };
  }

  /**
   * A job BullMQ gave up on (its workers kept dying): a shard is recorded as failed (the run's
   * finishing step, which BullMQ still runs, fails the run); a whole run or its finishing step is
   * ended FAILED here.
   */
  async givenUp(job: RunJob, reason: string): Promise<void> {
    const why = `the job was given up (${reason.slice(0, 200)})`;
    if (job.step === 'shard') {
      await recordShardFailure(
        { db: this.db, llm: this.llm },
        job.runId,
        job.shard,
        `Generation failed: ${why}; no rows were kept`,
      );
      return;
    }
    const gone = await removeOrMarkPending(this.db, job.runId);
    await endRun(
      this.db,
      job.runId,
      RunStatus.FAILED,
      null,
      rowsSaid(`Generation failed: ${why}; no rows were kept`, !gone),
    );
    this.events.changed(job.runId);
  }
}
