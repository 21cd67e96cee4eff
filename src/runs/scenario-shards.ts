import type { GenerationRun } from '../../entities';
import { RunStatus } from '../../entities/enums';
import { RunFailure } from '../errors';
import { mergeReports, type WriterReport } from '../llm/text-writer';
import { RunCancelled, type RunControl } from '../pipeline/run-control';
import { withHeartbeat } from './heartbeat';
import { removeOrMarkPending } from './run-cleanup';
import { claimRun, failureReason, rowsSaid, runClaimed } from './run-executor';
import { endRun, loadRun } from './run-record';
import {
  buildWorld,
  DatabaseSink,
  finishRows,
  generatedScenario,
  orderChunks,
  writeOrders,
  writeWorld,
  type OrdersWorld,
} from '../pipeline/scenario/scenario-pipeline';
import type { ScenarioRequest } from '../pipeline/scenario/scenario-request';
import { completeScenario, scenarioFitsOneTransaction, type ScenarioRunDeps } from './scenario-run';

/**
 * A large scenario run fanned out over workers, in three steps:
 *
 * 1. prepareShards: the run's products and shoppers, written once (one transaction, marked by
 *    shard -1 in run_shards so a retried step does not write them again);
 * 2. writeShard, once per shard, on any worker: a range of order chunks — each seeded on its own,
 *    so which worker writes it changes nothing — in one transaction that also records the shard
 *    in run_shards (a retried or duplicated shard finds it done);
 * 3. finishShards, once every shard is done: the shoppers' totals (counted from the stored
 *    rows), the pipeline's agents, the contract and the fingerprint (both from the stored rows),
 *    and the run's status — in one transaction.
 *
 * The rows and the fingerprint are exactly those of the same run written by one worker. Until the
 * run is SUCCEEDED its rows are invisible; a failed or cancelled run's rows are removed by the
 * finishing step, after every shard has stopped.
 */

/** Order chunks per shard: one shard is one transaction of about 47,000 rows. */
export const SHARD_CHUNKS = 5;

/**
 * Whether a run is fanned out: it is too large for one transaction, the database is Postgres
 * (shards are concurrent transactions, which the embedded database's one session cannot hold),
 * and its text is offline. LLM runs stay on one worker: their calls share one budget, and which
 * calls a budget leaves out must not depend on which worker got there first.
 */
export function scenarioFansOut(deps: ScenarioRunDeps, request: ScenarioRequest): boolean {
  return (
    deps.db.mode === 'postgres' && deps.llm.provider === 'offline' && !scenarioFitsOneTransaction(request)
  );
}

/** Shards of a world's orders. */
export function shardCount(world: OrdersWorld): number {
  return Math.ceil(orderChunks(world) / SHARD_CHUNKS);
}

/**
 * Worlds this process built recently, by run: a worker that writes several shards of a run builds
 * its world once (a million-row run's world takes a few seconds). Only what orders need is kept.
 */
const worlds = new Map<string, Promise<OrdersWorld>>();
const KEPT_WORLDS = 2;

function ordersWorld(deps: ScenarioRunDeps, runId: string, request: ScenarioRequest): Promise<OrdersWorld> {
  let world = worlds.get(runId);
  if (!world) {
    world = buildWorld(deps.llm.newWriter(), request, runId).then(({ params, plan, nouns, asinOf }) => ({
      params,
      plan,
      nouns,
      asinOf,
    }));
    world.catch(() => worlds.delete(runId));
    worlds.set(runId, world);
    while (worlds.size > KEPT_WORLDS) worlds.delete(worlds.keys().next().value!);
  }
  return world;
}

/**
 * Step 1: claims the run and writes its products and shoppers. Returns how many shards to queue,
 * or null when there is nothing more to do (the run was cancelled or finished, or this step
 * failed and ended it FAILED).
 */
export async function prepareShards(
  deps: ScenarioRunDeps,
  runId: string,
  request: ScenarioRequest,
  control: RunControl,
): Promise<number | null> {
  const { db } = deps;
  const claimed = await claimRun(db, runId);
  if (!claimed) return null;
  return withHeartbeat(db, runId, () => writeWorldOnce(deps, runId, request, control, claimed.startedAt));
}

/** Step 1 once claimed: the world, written unless an earlier attempt did. */
async function writeWorldOnce(
  deps: ScenarioRunDeps,
  runId: string,
  request: ScenarioRequest,
  control: RunControl,
  startedAt: Date,
): Promise<number | null> {
  const { db } = deps;
  try {
    const writer = deps.llm.newWriter();
    const world = await buildWorld(writer, request, runId);
    control.progress.phase('products', world.expectedRows);
    await db.dataSource.transaction(async (manager) => {
      const [done] = await manager.query(`SELECT 1 FROM run_shards WHERE run_id = $1 AND shard = -1`, [
        runId,
      ]);
      if (done) return;
      await writeWorld(
        world,
        writer,
        request,
        new DatabaseSink(manager, db.vectorStorage, runId, undefined, true),
      );
      await manager.query(`INSERT INTO run_shards (run_id, shard) VALUES ($1, -1)`, [runId]);
    });
    control.progress.advance(world.products.length + world.users.length);
    control.progress.phase('orders');
    return shardCount(world);
  } catch (error) {
    await abandonShards(deps, runId, startedAt, failureReason(error));
    return null;
  }
}

/** Ends a fanned-out run FAILED before its shards were queued (or when they could not be). */
export async function abandonShards(
  deps: ScenarioRunDeps,
  runId: string,
  startedAt: Date | null,
  reason: string,
): Promise<void> {
  const gone = await removeOrMarkPending(deps.db, runId);
  await endRun(deps.db, runId, RunStatus.FAILED, startedAt, rowsSaid(reason, !gone));
}

/**
 * Step 2: writes shard `shard` (order chunks shard × SHARD_CHUNKS onwards) in one transaction,
 * unless the run stopped or the shard is already done. It never throws for the run's sake: a
 * failure is recorded on the shard (the finishing step fails the run with it), a cancel just
 * stops (the finishing step sees the cancellation).
 */
export async function writeShard(
  deps: ScenarioRunDeps,
  runId: string,
  request: ScenarioRequest,
  shard: number,
  control: RunControl,
  /** Which worker writes it (recorded on the shard: where a run's pieces were made). */
  worker: string,
): Promise<void> {
  const { db } = deps;
  const writer = deps.llm.newWriter();
  // Rows this attempt reported: they roll back with its transaction when it fails, and so does their count.
  let reported = 0;
  const counted: RunControl = {
    signal: control.signal,
    progress: {
      phase: (name, total) => control.progress.phase(name, total),
      advance: (rows) => {
        reported += rows;
        control.progress.advance(rows);
      },
    },
  };
  try {
    await withHeartbeat(db, runId, () =>
      writeShardRows(deps, runId, request, shard, counted, worker, writer),
    );
  } catch (error) {
    if (reported) control.progress.advance(-reported);
    if (error instanceof RunCancelled) return;
    // Delivered twice (a worker thought dead came back): the other delivery wrote it.
    if (await shardDone(deps, runId, shard)) return;
    await recordShardFailure(deps, runId, shard, failureReason(error));
  }
}

/** A shard's order chunks and its run_shards row, in one transaction (nothing if the run stopped or it is done). */
async function writeShardRows(
  deps: ScenarioRunDeps,
  runId: string,
  request: ScenarioRequest,
  shard: number,
  counted: RunControl,
  worker: string,
  writer: ReturnType<ScenarioRunDeps['llm']['newWriter']>,
): Promise<void> {
  const { db } = deps;
  const world = await ordersWorld(deps, runId, request);
  const from = shard * SHARD_CHUNKS;
  const to = Math.min(orderChunks(world), from + SHARD_CHUNKS);
  await db.dataSource.transaction(async (manager) => {
    const [state] = await manager.query(
      `SELECT r.status = 'RUNNING' AND NOT r.cancel_requested
              AND NOT EXISTS (SELECT 1 FROM run_shards s
                               WHERE s.run_id = r.id AND (s.shard = $2 OR s.error IS NOT NULL)) AS go
         FROM generation_runs r WHERE r.id = $1`,
      [runId, shard],
    );
    if (!state?.go) return;
    const sink = new DatabaseSink(manager, db.vectorStorage, runId);
    const written = await writeOrders(writer, world, request, sink, counted, from, to);
    await manager.query(
      `INSERT INTO run_shards (run_id, shard, transactions, reviews, text_report, written_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [runId, shard, written.transactions, written.reviews, JSON.stringify(writer.report()), worker],
    );
  });
}

async function shardDone(deps: ScenarioRunDeps, runId: string, shard: number): Promise<boolean> {
  const rows = await deps.db.dataSource
    .query(`SELECT 1 FROM run_shards WHERE run_id = $1 AND shard = $2 AND error IS NULL`, [runId, shard])
    .catch(() => []);
  return rows.length > 0;
}

/** A shard that could not be written: the run fails with this reason when it finishes. */
export async function recordShardFailure(
  deps: ScenarioRunDeps,
  runId: string,
  shard: number,
  reason: string,
): Promise<void> {
  await deps.db.dataSource
    .query(
      `INSERT INTO run_shards (run_id, shard, error) VALUES ($1, $2, $3) ON CONFLICT (run_id, shard) DO NOTHING`,
      [runId, shard, reason],
    )
    // The run may be gone (deleted): then there is nothing to fail.
    .catch(() => undefined);
}

interface ShardRow {
  shard: number;
  transactions: number;
  reviews: number;
  text_report: WriterReport | null;
  error: string | null;
}

/**
 * Step 3, once every shard is done (or gave up): fails the run with a shard's failure, cancels it
 * when it was cancelled, or writes the shoppers' totals, the pipeline's agents and the contract
 * and marks it SUCCEEDED with its fingerprint — one transaction. Any rows of a run that does not
 * succeed are removed here, when no shard is writing any more.
 */
export async function finishShards(
  deps: ScenarioRunDeps,
  runId: string,
  request: ScenarioRequest,
  control: RunControl,
): Promise<GenerationRun | null> {
  const { db } = deps;
  const run = await loadRun(db, runId);
  if (!run || run.status !== RunStatus.RUNNING) return run;
  const shards: ShardRow[] = await db.dataSource.query(
    `SELECT shard, transactions, reviews, text_report, error
       FROM run_shards WHERE run_id = $1 AND shard >= 0 ORDER BY shard`,
    [runId],
  );
  const failed = shards.find((s) => s.error);
  if (failed) {
    await abandonShards(deps, runId, run.startedAt, failed.error!);
    return loadRun(db, runId);
  }
  const writer = deps.llm.newWriter();
  const report = () => mergeReports(writer.report(), ...shards.map((s) => s.text_report!));
  return withHeartbeat(db, runId, () =>
    runClaimed(
      db,
      runId,
      { startedAt: run.startedAt ?? new Date(), attempts: run.attempts },
      async (manager, id, ctl) => {
        if (run.cancelRequested) throw new RunCancelled();
        const world = await buildWorld(writer, request, id);
        if (shards.length !== shardCount(world)) {
          throw new RunFailure(`${shardCount(world) - shards.length} of the run's shards were not written`);
        }
        ctl.progress.phase('totals');
        const sink = new DatabaseSink(manager, db.vectorStorage, id);
        await finishRows(world, sink);
        const generated = generatedScenario(world, {
          transactions: shards.reduce((n, s) => n + s.transactions, 0),
          reviews: shards.reduce((n, s) => n + s.reviews, 0),
        });
        return completeScenario(deps, manager, id, request, generated, report(), ctl);
      },
      report,
      control,
      { oneTransaction: true, committedRows: true },
    ),
  );
}
