import { reviveDashboard, reviveScenario } from './revive-request';
import { hostname } from 'node:os';
import type { GenerationRun } from '../../entities';
import { FINISHED_STATUSES, RunKind, RunStatus } from '../../entities/enums';
import type { RunProgress } from '../../entities/run-progress';
import type { Database } from '../db/data-source';
import { ConflictError, NotFoundError, consoleLogger, type ErrorLogger } from '../errors';
import type { LlmServices } from '../llm';
import { dashboardFitsOneTransaction, dashboardRun, executeDashboardRun } from './dashboard-run';
import { runEnded, runsStarted } from './run-metrics';
import { closeGeneratorThreads } from '../pipeline/scenario/chunk-source';
import { removeOrMarkPending } from './run-cleanup';
import type { DashboardRequest } from '../pipeline/dashboard/dashboard-request';
import type { RunControl } from '../pipeline/run-control';
import { CANCELLED_REASON, failureReason, rowsSaid } from './run-executor';
import {
  addProgress,
  cancelQueuedRun,
  endRun,
  loadRun,
  requestCancel,
  saveProgress,
  staleRunningRuns,
  type NewRun,
} from './run-record';
import { every, RECOVERY, recoverRuns, type Recovery } from './recovery';
import { RunWatch } from './run-watch';
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
import type { JobEngine, RunJob } from './queue/engine';
import { queueRun } from './submit';
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
 * Runs as jobs: submitting creates the run (QUEUED, with its request) and queues it; a worker —
 * in this process or another — claims and runs it; callers wait for it, watch it or cancel it.
 * The run row is the truth every process shares: status, progress and the cancellation flag.
 */
export class RunJobs {
  readonly events = new RunEvents();
  private readonly local = new Map<string, LocalRun>();
  /** Waiting for and watching runs (awaitRun, watch, current). */
  private readonly watching: RunWatch;
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
  ) {
    this.watching = new RunWatch(db, this.events, {
      has: (runId) => this.local.has(runId),
      progress: (runId) => this.liveProgress(runId),
    });
  }

  /**
   * Starts this process's part in finding runs whose owner is gone (the runs it works on are
   * stamped by withHeartbeat as they run): every watchdogMs, recovering the others and removing
   * the rows the sweep owes (see Recovery).
   */
  startRecovery(): void {
    // On the embedded database this process has every run (the directory is locked), so only
    // the start-up recovery looks for orphans; the periodic one just removes owed rows.
    this.timers.push(
      every(this.recovery.watchdogMs, () =>
        this.recover(this.recovery.staleMs, { orphans: this.db.mode === 'postgres' }),
      ),
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
    const queued = await queueRun(this.db, this.engine, run, request, options.idempotencyKey ?? null);
    if (queued.made) runsStarted.inc({ kind: run.kind.toLowerCase() });
    return options.wait ? this.awaitRun(queued.id) : (await loadRun(this.db, queued.id))!;
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
      if (await addProgress(this.db, runId, rows, phase)) controller.abort();
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

  /** Writes progress to the row; a cancellation requested by another process stops the run here. */
  private async persist(runId: string, progress: RunProgress, controller: AbortController): Promise<void> {
    try {
      if (await saveProgress(this.db, runId, progress)) controller.abort();
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
      void requestCancel(this.db, runId).catch(() => undefined);
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
    await requestCancel(this.db, runId);
    if (
      run.status === RunStatus.RUNNING &&
      !this.steps.has(runId) &&
      (await staleRunningRuns(this.db, this.recovery.staleMs, runId)).length > 0
    ) {
      // Nobody works it any more (its worker died or its job was lost): cancelled right here.
      const gone = await removeOrMarkPending(this.db, runId);
      await endRun(this.db, runId, RunStatus.CANCELLED, run.startedAt, rowsSaid(CANCELLED_REASON, !gone));
    } else if (removed || run.status === RunStatus.QUEUED) {
      // Nobody has it yet (or whoever takes it will see the flag and not start it).
      await cancelQueuedRun(this.db, runId, CANCELLED_REASON);
    }
    this.events.changed(runId);
    return this.awaitRun(runId);
  }

  /** Waits until the run has finished and returns it (see RunWatch). */
  awaitRun(runId: string): Promise<GenerationRun> {
    return this.watching.awaitRun(runId);
  }

  /** The run each time its status or progress changes, ending with its finished state (see RunWatch). */
  watch(runId: string): AsyncGenerator<GenerationRun> {
    return this.watching.watch(runId);
  }

  /** The run as it is now (with live progress when this process works on it); null once deleted. */
  current(runId: string): Promise<GenerationRun | null> {
    return this.watching.current(runId);
  }

  /** Ends the runs whose owner is gone, re-queues lost queued runs, sweeps owed rows (see recoverRuns). */
  recover(
    staleMs: number,
    options: { orphans?: boolean } = {},
  ): Promise<{ failed: number; requeued: number; cleared: number }> {
    const scope = { db: this.db, engine: this.engine, events: this.events, mine: new Set(this.mine()) };
    return recoverRuns(scope, staleMs, options);
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
